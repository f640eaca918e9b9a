/**
 * URL paths. Xero spreads them over three hosts (login.xero.com, identity.xero.com, api.xero.com); the emulator
 * serves them all under one base URL, keeping Xero's paths so a client only has to swap the origin.
 */
export const PATHS = {
  authorize: '/connect/authorize',
  token: '/connect/token',
  revoke: '/connect/revocation',
  userInfo: '/connect/userinfo',
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/openid-configuration/jwks',
  connections: '/connections',
  apiBase: '/api.xro/2.0',
  /** The customer-facing page behind OnlineInvoiceUrl (in.xero.com in production). */
  onlineInvoice: '/in',
} as const;
