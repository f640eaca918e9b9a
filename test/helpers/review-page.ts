import { visibleText } from './visible-text.js';

/**
 * The owner's review page as a browser without scripts uses it: with no fields a GET, else a POST of
 * the form (the CSRF token added). Returns the status and the page's visible text.
 */
export function reviewPage(baseUrl: string, orgId: string, owner: { cookie: string; csrf: string }) {
  return async (fields: Array<[string, string]> = []) => {
    const response = await fetch(`${baseUrl}/app/${orgId}/review`, {
      ...(fields.length > 0
        ? { method: 'POST', body: new URLSearchParams([['_csrf', owner.csrf], ...fields]).toString() }
        : {}),
      redirect: 'manual',
      headers: {
        cookie: owner.cookie,
        accept: 'text/html',
        ...(fields.length > 0 ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    return { status: response.status, text: visibleText(await response.text()) };
  };
}
