import { portalLinks } from '../../src/portal/links.js';
import type { DunwellUnderTest } from './dunwell-harness.js';

/** Portal links signed as the running Dunwell signs them, and a form poster that does not follow redirects. */
export function portalClient(dunwell: DunwellUnderTest) {
  const links = portalLinks(
    String(dunwell.environment['SESSION_SECRET']),
    String(dunwell.environment['PUBLIC_URL']),
  );
  return {
    links,
    tokenFor(orgId: string, customerId: string, expiresAt = new Date(Date.now() + 30 * 86_400_000)) {
      return links.tokenFor({ orgId, customerId }, expiresAt);
    },
    page(token: string, query = '') {
      return fetch(`${dunwell.runtime.url}/portal/${token}${query}`);
    },
    post(token: string, path: string, fields: Array<[string, string]>) {
      return fetch(`${dunwell.runtime.url}/portal/${token}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
    },
  };
}
