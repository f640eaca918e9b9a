import { createRequire } from 'node:module';
import type { AxiosStatic } from 'axios';
import { custom, Issuer } from 'openid-client';
import { XeroClient } from 'xero-node';
import { defaultVendorHttpTimeoutMs, timeVendorRequests } from '../shared/http-timeout.js';
import { type XeroConfig, xeroEndpoints, xeroScopes } from './config.js';

// xero-node require()s axios and so gets its CommonJS build, a different instance from what an ES
// import would give: the interceptor must sit on the instance xero-node uses.
const axios = createRequire(import.meta.url)('axios') as AxiosStatic;
const xeroHosts = ['https://api.xero.com', 'https://identity.xero.com'];
let redirectedTo: string | null = null;
let interceptorInstalled = false;

/**
 * xero-node calls some URLs it does not let us configure (the connections list, one token request).
 * With an emulator configured, requests to Xero's hosts are redirected to it here, at the HTTP
 * client, so the rest of the code runs exactly as in production.
 */
function redirectXeroHosts(endpoints: XeroConfig['endpoints']): void {
  if (!endpoints) return;
  // Process-wide, like xero-node's own hard-coded URLs: the connector configured last wins.
  redirectedTo = new URL(endpoints.connections).origin;
  if (interceptorInstalled) return;
  interceptorInstalled = true;
  axios.interceptors.request.use((request) => {
    const host = xeroHosts.find((candidate) => request.url?.startsWith(candidate));
    if (host && request.url && redirectedTo) request.url = `${redirectedTo}${request.url.slice(host.length)}`;
    return request;
  });
}

export interface XeroClients {
  /** A XeroClient for one login (xero-node fixes `state` per client) or one call. */
  client(options?: { state?: string; redirectUri?: string; accessToken?: string }): XeroClient;
}

/** Builds XeroClients whose OpenID client and API base point at Xero, or at the configured emulator. */
export function createXeroClients(config: XeroConfig): XeroClients {
  const endpoints = config.endpoints ?? xeroEndpoints;
  redirectXeroHosts(config.endpoints);
  const timeoutMs = config.httpTimeoutMs ?? defaultVendorHttpTimeoutMs;
  // xero-node's API, connections and client-credentials calls go through axios with no timeout of their
  // own: the vendor HTTP timeout goes on them there (see shared/http-timeout.ts). Xero's own hosts are
  // named too, as the redirect above may rewrite a URL after or before that interceptor sees it.
  timeVendorRequests([...Object.values(endpoints), ...xeroHosts], timeoutMs);
  // Built from known metadata, so no discovery request is made at start.
  const issuer = new Issuer({
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    revocation_endpoint: endpoints.revoke,
    userinfo_endpoint: endpoints.userInfo,
    jwks_uri: endpoints.jwks,
  });

  return {
    client(options = {}) {
      const redirectUris = options.redirectUri ? [options.redirectUri] : [];
      const xero = new XeroClient({
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        redirectUris,
        scopes: xeroScopes,
        ...(options.state ? { state: options.state } : {}),
      });
      xero.openIdClient = new issuer.Client({
        client_id: config.clientId,
        client_secret: config.clientSecret,
        redirect_uris: redirectUris,
      });
      // openid-client (token exchange, refresh, revocation) makes its own requests, with its own
      // timeout option (3.5 s unless told): this client's is the vendor HTTP timeout.
      xero.openIdClient[custom.http_options] = () => ({ timeout: timeoutMs });
      xero.accountingApi.basePath = endpoints.apiBase;
      if (options.accessToken) xero.accountingApi.accessToken = options.accessToken;
      return xero;
    },
  };
}
