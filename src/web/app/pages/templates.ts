import { html, type SafeHtml } from '../../../domain/html.js';
import { editableTemplates } from '../../../messaging/organisation-templates.js';
import type { Preview, PreviewDebtor } from '../../../messaging/template-preview.js';
import {
  bodyConventions,
  mergeFieldHelp,
  type Template,
  type TemplateName,
} from '../../../messaging/templates/index.js';
import { appPage, csrfField, type PageFrame } from './layout.js';

export function templatesListPage(frame: PageFrame, customised: Set<string>, details: SafeHtml): string {
  return appPage(
    frame,
    html`<h1>Templates</h1>
<p class="lede">The emails your customers receive. Each is written in plain words and never threatens; change them to sound like you.</p>
<section class="card"><div class="table-wrap"><table><thead><tr><th>Email</th><th>Used for</th><th>Version</th><th></th></tr></thead><tbody>
${editableTemplates.map(
  (entry) => html`<tr><td><strong>${entry.label}</strong></td><td>${entry.usedFor}</td>
  <td>${customised.has(entry.name) ? html`<span class="pill">Yours</span>` : html`<span class="pill good">Default</span>`}</td>
  <td class="num"><a class="button small secondary" href="/app/${frame.orgId}/templates/${entry.name}">Edit</a></td></tr>`,
)}</tbody></table></div></section>
${details}`,
  );
}

export interface TemplateEditData {
  name: TemplateName;
  template: Template;
  customised: boolean;
  debtors: PreviewDebtor[];
  debtorId: string | null;
  preview: Preview;
  /** The separate HTML body this email had before templates had one body, no longer sent. */
  legacyHtml?: string | null;
  /** Problems that stopped a save (the preview may still show). */
  saveProblems: string[];
}

export function templateEditPage(frame: PageFrame, data: TemplateEditData): string {
  const entry = editableTemplates.find((candidate) => candidate.name === data.name);
  const base = `/app/${frame.orgId}/templates/${data.name}`;
  const preview = data.preview;
  const problems = preview.ok ? [] : preview.problems;
  const content = html`<p class="small"><a href="/app/${frame.orgId}/templates">← All templates</a></p>
<h1>${entry?.label ?? data.name} email</h1>
<p class="lede">Used for ${entry?.usedFor ?? data.name}. ${data.customised ? 'You have changed it from the default.' : 'This is Dunwell’s default.'}</p>
${data.saveProblems.length > 0 ? html`<div class="banner problem" role="alert"><strong>Not saved.</strong> Please fix:<ul>${data.saveProblems.map((problem) => html`<li>${problem}</li>`)}</ul></div>` : ''}
<div class="split">
<section class="card" aria-labelledby="edit">
<h2 id="edit">Edit</h2>
<form method="post" action="${base}" data-live-preview="${base}/preview">
${csrfField(frame.csrfToken)}
<label for="debtor">Preview on</label>
<select id="debtor" name="debtor">${data.debtors.length === 0 ? html`<option value="">A sample customer</option>` : ''}${data.debtors.map(
    (debtor) =>
      html`<option value="${debtor.id}"${debtor.id === data.debtorId ? ' selected' : ''}>${debtor.name}</option>`,
  )}</select>
<label for="subject">Subject</label>
<input type="text" id="subject" name="subject" value="${data.template.subject}" style="max-width:100%">
<label for="text">Body</label>
<p class="small muted" id="text-hint">One body makes both the HTML email and the plain-text email. Your invoices, their pay links, the total and the link to the customer’s account page follow it in every email.</p>
<textarea id="text" name="text" rows="18" aria-describedby="text-hint">${data.template.text}</textarea>
${
  data.legacyHtml
    ? html`<details class="banner"><summary>This email used to have a separate HTML version, which is no longer sent</summary>
<p class="small">Both versions are now made from the body above. If the old HTML said something the body does not, add it to the body. Saving the template removes the old HTML.</p>
<pre class="plain">${data.legacyHtml}</pre></details>`
    : ''
}<div class="actions">
  <button type="submit" name="op" value="save">Save template</button>
  <button class="secondary" type="submit" name="op" value="preview">Preview</button>
</div>
</form>
<form method="post" action="${base}/reset" class="actions">${csrfField(frame.csrfToken)}
  <button class="secondary" type="submit"${data.customised ? '' : ' disabled'}>Reset to default</button>
</form>
<details><summary>How the body is written</summary>
<div class="table-wrap"><table><thead><tr><th>Write</th><th>In the email</th></tr></thead><tbody>
${bodyConventions.map((rule) => html`<tr><td><code>${rule.write}</code></td><td>${rule.get}</td></tr>`)}
</tbody></table></div></details>
<details><summary>Merge fields you can use</summary>
<div class="table-wrap"><table><thead><tr><th>Field</th><th>What it is</th></tr></thead><tbody>
${mergeFieldHelp.map((field) => html`<tr><td><code>${field.field}</code></td><td>${field.description} <span class="muted small">e.g. ${field.example}</span></td></tr>`)}
</tbody></table></div></details>
</section>
<section class="card" aria-labelledby="preview">
<h2 id="preview">Preview${preview.ok && preview.debtor ? html` for ${preview.debtor.name}` : preview.ok ? ' (sample customer)' : ''}</h2>
<div class="banner problem" id="preview-problems" role="alert"${problems.length === 0 ? ' hidden' : ''}>${problems.join(' ')}</div>
<p><strong>Subject:</strong> <span id="preview-subject">${preview.ok ? preview.email.subject : ''}</span></p>
<h3>HTML email</h3>
<iframe class="preview" id="preview-html" title="Email preview" sandbox="" srcdoc="${preview.ok ? preview.email.html : ''}"></iframe>
<h3>Plain-text email</h3>
<pre class="plain" id="preview-text">${preview.ok ? preview.email.text : ''}</pre>
</section>
</div>`;
  return appPage(frame, content, { script: true });
}
