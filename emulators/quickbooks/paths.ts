/** URL paths, mirroring Intuit's so only the origin differs from production. */
export const PATHS = {
  authorize: '/connect/oauth2',
  token: '/oauth2/v1/tokens/bearer',
  revoke: '/v2/oauth2/tokens/revoke',
  userInfo: '/v1/openid_connect/userinfo',
  jwks: '/op/v1/jwks',
  discovery: '/.well-known/openid_configuration',
  apiBase: '/v3/company/',
  portal: '/portal/invoice',
} as const;
