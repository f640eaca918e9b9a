import { html, type SafeHtml } from '../../../domain/html.js';

/** The customer's postal address under their contact details, line by line as a letter's window shows it. */
export function postalAddressSection(lines: string[] | undefined): SafeHtml {
  const address = lines ?? [];
  return html`<h3 id="postal-address">Postal address</h3>
${address.length === 0 ? html`<p class="empty">None in your books: letters leave a space to write it in.</p>` : html`<address style="font-style:normal;overflow-wrap:anywhere">${address.map((line, index) => html`${index > 0 ? html`<br>` : ''}${line}`)}</address>`}`;
}
