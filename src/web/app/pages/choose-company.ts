import { html } from '../../../domain/html.js';
import { csrfField, publicPage } from './layout.js';

/** The page where a person picks which of the companies their login shares with Dunwell to connect. */
export function chooseCompanyPage(
  vendorName: string,
  action: string,
  companies: Array<{ tenantId: string; name: string | null }>,
  csrfToken: string,
): string {
  return publicPage(
    'Choose the company to connect',
    html`<h1>Which ${vendorName} organisation should Dunwell look after?</h1>
<p class="lede">Your login gives access to several. Pick one; you can connect the others later.</p>
<div class="choices">${companies.map(
      (company) => html`<form method="post" action="${action}">${csrfField(csrfToken)}
  <input type="hidden" name="tenantId" value="${company.tenantId}">
  <button type="submit" class="button" style="width:100%">Connect ${company.name ?? company.tenantId}</button>
</form>`,
    )}</div>`,
  );
}
