import { escapeHtml } from '../html.js';

/** The page where a person picks which of the companies their login shares with Dunwell to connect. */
export function chooseCompanyPage(
  vendorName: string,
  action: string,
  companies: Array<{ tenantId: string; name: string | null }>,
): string {
  const options = companies
    .map(
      (company) => `
      <li><form method="post" action="${escapeHtml(action)}">
        <input type="hidden" name="tenantId" value="${escapeHtml(company.tenantId)}">
        <button type="submit">Connect ${escapeHtml(company.name ?? company.tenantId)}</button>
      </form></li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Choose the company to connect · Dunwell</title>
</head>
<body>
  <main>
    <h1>Which ${escapeHtml(vendorName)} organisation should Dunwell look after?</h1>
    <p>Your login gives access to several. Pick one; you can connect the others later.</p>
    <ul>${options}
    </ul>
  </main>
</body>
</html>`;
}
