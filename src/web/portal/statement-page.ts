import { html, raw } from '../../domain/html.js';
import { formatIsoDate } from '../../messaging/templates/index.js';
import type { Statement } from '../../statements/statement.js';
import { statementCss, statementSections } from '../statement-html.js';
import { styles } from './page.js';

/** The debtor's statement of account: the figures, a PDF copy, and the way back to their page. */
export function portalStatementPage(
  statement: Statement,
  options: { token: string; expiresAt: Date },
): string {
  const { issuer, debtor } = statement;
  const base = `/portal/${options.token}`;
  const contact = [
    issuer.contactEmail
      ? html`email <a href="mailto:${issuer.contactEmail}">${issuer.contactEmail}</a>`
      : null,
    issuer.contactPhone
      ? html`call <a href="tel:${issuer.contactPhone.replace(/[^+\d]/g, '')}">${issuer.contactPhone}</a>`
      : null,
  ].filter((way) => way !== null);
  return `<!doctype html>${html`<html lang="${issuer.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Statement of account · ${issuer.name}</title>
<style>${raw(styles(issuer.brandColour))}${raw(statementCss)}</style>
</head>
<body>
<header><div class="inner">
  ${issuer.logoUrl ? html`<img src="${issuer.logoUrl}" alt="${issuer.name}">` : html`<strong>${issuer.name}</strong>`}
  <h1>Statement of account, ${debtor.name}</h1>
</div></header>
<main>
<p><a href="${base}">← Back to your account</a></p>
<section aria-labelledby="copy-heading">
  <h2 id="copy-heading">Your statement from ${issuer.name}</h2>
  <p>What our records show on ${formatIsoDate(statement.asOf, issuer.locale) ?? statement.asOf}${debtor.email ? html`, for ${debtor.email}` : ''}.</p>
  <p><a class="button" href="${base}/statement.pdf" download>Download as PDF</a></p>
</section>
${statementSections(statement, { you: true })}
</main>
<footer>
  ${contact.length > 0 ? html`<p>Something looks wrong? Contact ${issuer.name}: ${contact.map((way, index) => html`${index > 0 ? ' or ' : ''}${way}`)}.</p>` : html`<p>Something looks wrong? Reply to the email that brought you here.</p>`}
  <p>This page is private to ${debtor.name}. Its link works until ${formatIsoDate(options.expiresAt.toISOString().slice(0, 10), issuer.locale) ?? ''}.</p>
</footer>
</body>
</html>`}`;
}
