import { html, type SafeHtml } from '../../../domain/html.js';

export type Section =
  | 'dashboard'
  | 'review'
  | 'customers'
  | 'schedule'
  | 'forecast'
  | 'templates'
  | 'money'
  | 'summary'
  | 'connection'
  | 'go-live';

const sections: Array<{ key: Section; label: string; path: string }> = [
  { key: 'dashboard', label: 'Dashboard', path: '' },
  { key: 'review', label: 'Review', path: '/review' },
  { key: 'customers', label: 'Customers', path: '/customers' },
  { key: 'schedule', label: 'Schedule', path: '/schedule' },
  { key: 'forecast', label: 'Forecast', path: '/forecast' },
  { key: 'templates', label: 'Templates', path: '/templates' },
  { key: 'money', label: 'Money', path: '/money' },
  { key: 'summary', label: 'Weekly email', path: '/weekly-summary' },
  { key: 'connection', label: 'Connection', path: '/connection' },
  { key: 'go-live', label: 'Sending', path: '/go-live' },
];

export interface PageFrame {
  title: string;
  section: Section;
  orgId: string;
  /** The organisations this person can switch between. */
  organisations: Array<{ id: string; name: string }>;
  email: string;
  csrfToken: string;
  /** A one-line outcome of what was just done, shown at the top. */
  notice?: { kind: 'ok' | 'problem' | 'info'; text: string } | null;
}

function document(title: string, body: SafeHtml, script = false): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Dunwell</title>
<link rel="stylesheet" href="/assets/app.css">
${script ? html`<script src="/assets/app.js" defer></script>` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${body}
</body>
</html>`;
}

/** A page of the signed-in app: the navigation, the organisation switcher, sign-out, and the content. */
export function appPage(frame: PageFrame, content: SafeHtml, options: { script?: boolean } = {}): string {
  const base = `/app/${frame.orgId}`;
  const current = frame.organisations.find((organisation) => organisation.id === frame.orgId);
  const nav = sections.map(
    (section) =>
      html`<a href="${base}${section.path}"${section.key === frame.section ? html` aria-current="page"` : ''}>${section.label}</a>`,
  );
  const switcher =
    frame.organisations.length > 1
      ? html`<form method="get" action="/app" class="inline">
  <select id="org-switch" name="org" aria-label="Organisation">${frame.organisations.map(
    (organisation) =>
      html`<option value="${organisation.id}"${organisation.id === frame.orgId ? ' selected' : ''}>${organisation.name}</option>`,
  )}</select> <button class="small secondary" type="submit">Switch</button></form>`
      : html`<span title="Signed in as ${frame.email}">${current?.name ?? ''}</span>`;
  const body = html`<header class="top"><div class="inner">
  <a class="brand" href="${base}">Dunwell</a>
  <nav aria-label="Sections">${nav}</nav>
  <div class="who">${switcher}

    <form method="post" action="/signout"><input type="hidden" name="_csrf" value="${frame.csrfToken}"><button class="linkish" type="submit">Sign out</button></form>
  </div>
</div></header>
<main id="main">
${frame.notice ? html`<div class="banner ${frame.notice.kind}" role="status">${frame.notice.text}</div>` : ''}
${content}
</main>`;
  return document(`${frame.title} · ${current?.name ?? ''}`, body, options.script).value;
}

/** A page for someone not signed in (sign-in, disconnected, errors). */
export function publicPage(title: string, content: SafeHtml): string {
  return document(title, html`<main class="public" id="main"><div class="card">${content}</div></main>`)
    .value;
}

/** The hidden field every form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
