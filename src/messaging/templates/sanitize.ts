import { createHash } from 'node:crypto';
import { decodeHTMLAttribute } from 'entities';
import sanitizeHtml from 'sanitize-html';

/** CSS that fetches (tracking, `url()`), runs (old IE `expression`, bindings) or hides itself in escapes. */
const unsafeStyle = /url\s*\(|expression\s*\(|javascript:|vbscript:|@import|behavior\s*:|-moz-binding|\\/i;

/**
 * A style sheet is kept only in the form the weekly summary uses to tighten its margins on a phone:
 * rules on class selectors, at the top level or inside `@media` queries, that set spacing and size
 * properties to plain values (lengths, keywords, `!important`), in at most 10,000 characters.
 * Nothing in it can load (`url()`, `@import`, `@font-face`), run (`expression()`), hide in escapes
 * (`\\`) or select by attribute; a sheet with anything else goes whole, with its content.
 */
const sheetProperties = new Set([
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'width',
  'min-width',
  'max-width',
  'height',
  'font-size',
  'line-height',
  'display',
]);
const sheetValue = /^[\w\s.%#!,-]+$/;
const classSelector = /^(?:[a-z][a-z0-9]*)?(?:\.-?[a-z_][\w-]*)+$/i;
const mediaCondition = /^[\w\s().:,-]+$/;
// Sticky, so a sheet is read in one pass however it is written.
const sheetSpace = /\s*/y;
const sheetMedia = /@media\s([^{}@;]+)\{/y;
const sheetRule = /([^{}@;]+)\{([^{}]*)\}/y;
const sheetClose = /\}/y;

function allowedDeclarations(block: string): boolean {
  return block.split(';').every((declaration) => {
    if (declaration.trim() === '') return true;
    const colon = declaration.indexOf(':');
    if (colon < 0) return false;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).trim();
    return sheetProperties.has(property) && value !== '' && sheetValue.test(value);
  });
}

function allowedSelectors(list: string): boolean {
  return list.split(',').every((selector) =>
    selector
      .trim()
      .split(/\s+/)
      .every((compound) => classSelector.test(compound)),
  );
}

/** The sheet without its comments (each read once, so any sheet costs one pass); null if one is left open. */
function withoutComments(css: string): string | null {
  let sheet = '';
  let from = 0;
  for (let open = css.indexOf('/*'); open >= 0; open = css.indexOf('/*', from)) {
    const close = css.indexOf('*/', open + 2);
    if (close < 0) return null;
    sheet += `${css.slice(from, open)} `;
    from = close + 2;
  }
  return sheet + css.slice(from);
}

/** The longest sheet kept: the summary's is a few hundred characters. */
const sheetLimit = 10_000;

/** Whether a `<style>` element's text is a sheet of the form above (comments aside). */
export function isAllowedStyleSheet(css: string): boolean {
  if (css.length > sheetLimit || unsafeStyle.test(css) || /[<>&"'`]/.test(css)) return false;
  const sheet = withoutComments(css);
  if (sheet === null) return false;
  const at = (pattern: RegExp, from: number) => {
    pattern.lastIndex = from;
    return pattern.exec(sheet);
  };
  let position = 0;
  let inMedia = false;
  for (;;) {
    position += at(sheetSpace, position)?.[0].length ?? 0;
    if (position === sheet.length) return !inMedia;
    const close = inMedia ? at(sheetClose, position) : null;
    if (close) {
      inMedia = false;
      position += close[0].length;
      continue;
    }
    const media = inMedia ? null : at(sheetMedia, position);
    if (media) {
      if (!mediaCondition.test(media[1] ?? '')) return false;
      inMedia = true;
      position += media[0].length;
      continue;
    }
    const rule = at(sheetRule, position);
    if (!rule || !allowedSelectors(rule[1] ?? '') || !allowedDeclarations(rule[2] ?? '')) return false;
    position += rule[0].length;
  }
}

const linkSchemes = ['http', 'https', 'mailto', 'tel'];
const imageSchemes = ['http', 'https'];

/**
 * Entities are kept as written (see `parser` below), so sanitize-html sees `javascript&#58;` where
 * a mail client reads `javascript:`: links and styles are checked here as the client decodes them.
 */
function checkedAttributes(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const checked: sanitizeHtml.Attributes = {};
  for (const [name, value] of Object.entries(attribs)) {
    // A browser ignores ASCII whitespace and control characters around and inside a URL's scheme.
    const decoded = decodeHTMLAttribute(value).replace(/[\p{Cc}\s]+/gu, '');
    if (name === 'href' || name === 'src') {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(decoded)?.[1]?.toLowerCase();
      const allowed = tagName === 'img' ? imageSchemes : linkSchemes;
      if (scheme === undefined ? /^[/\\]{2}/.test(decoded) : !allowed.includes(scheme)) continue;
    }
    if (name === 'style' && unsafeStyle.test(decodeHTMLAttribute(value))) continue;
    checked[name] = value;
  }
  return checked;
}

const tableCell = ['align', 'valign', 'width', 'height', 'colspan', 'rowspan', 'bgcolor', 'nowrap'];

/**
 * What an email's HTML may contain: the document frame, text structure, links, tables, inline
 * styles and the narrow style sheets above, and nothing that runs, submits, redirects or embeds
 * (scripts, event handlers, forms, meta refresh, SVG, iframes, other style sheets). For a reminder
 * the check runs on what Liquid produced, so markup split across Liquid tags (`<scr{{ "" }}ipt>`)
 * is caught as well; every email, whoever built it, goes through it again on its way to the
 * provider (`transport/outgoing.ts`).
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'html',
    'head',
    'meta',
    'title',
    // Kept only when its sheet is one `isAllowedStyleSheet` accepts (see `exclusiveFilter`).
    'style',
    'body',
    'div',
    'span',
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'small',
    'sub',
    'sup',
    'blockquote',
    'pre',
    'code',
    'a',
    'img',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'table',
    'caption',
    'colgroup',
    'col',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'td',
    'th',
    'center',
    'font',
  ],
  allowedAttributes: {
    '*': ['style', 'class', 'id', 'dir', 'lang', 'title', 'align', 'role'],
    // `charset`, `name` and `content` only: no `http-equiv`, so no refresh to another site.
    meta: ['charset', 'name', 'content'],
    a: ['href', 'target', 'rel', 'name'],
    img: ['src', 'alt', 'width', 'height', 'border'],
    table: ['width', 'height', 'border', 'cellpadding', 'cellspacing', 'bgcolor', 'summary'],
    td: tableCell,
    th: [...tableCell, 'scope'],
    tr: ['valign', 'bgcolor', 'height'],
    col: ['width', 'span'],
    colgroup: ['width', 'span'],
    ol: ['start', 'type'],
    ul: ['type'],
    font: ['color', 'face', 'size'],
    body: ['bgcolor'],
  },
  allowedSchemes: linkSchemes,
  allowedSchemesByTag: { img: imageSchemes },
  allowProtocolRelative: false,
  // Disallowed tags go with their content when the content is code or a control (script, style,
  // textarea, option…); otherwise the tag goes and its text stays.
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'xmp', 'plaintext'],
  // `style` is allowed, but a sheet goes whole, with its content, unless it is one of the narrow
  // form above: the risk sanitize-html warns about is accounted for there.
  allowVulnerableTags: true,
  exclusiveFilter: (frame) => frame.tag === 'style' && !isAllowedStyleSheet(frame.text),
  // Entities the escaping wrote are kept as written, so allowed markup comes out byte for byte.
  parser: { decodeEntities: false },
  // Style attributes pass as written, unless they load or run something (checked below).
  parseStyleAttributes: false,
  transformTags: { '*': (tagName, attribs) => ({ tagName, attribs: checkedAttributes(tagName, attribs) }) },
};

const doctype = /^\s*<!doctype html>\s*/i;

/** The rendered HTML of an email, with only what the allow-list above lets through. */
export function sanitizeEmailHtml(html: string): string {
  // sanitize-html drops the doctype; the only one kept is the plain HTML5 one, at the very start.
  const prefix = doctype.exec(html)?.[0] ?? '';
  const cleaned = sanitizeHtml(html.slice(prefix.length), options);
  // Void elements are written `<br />`; every `>` in text and attributes is escaped, so ` />` only
  // ever ends a tag here, and the email keeps the HTML5 form its template used.
  return prefix + cleaned.replaceAll(' />', '>');
}

/**
 * HTML this process knows to be the allow-list's own output, by SHA-256: what `renderEmail` got
 * back from a render worker (which sanitises every email it renders) and what `cleanEmailHtml`
 * sanitised. The sanitiser leaves its own output as it is, so such HTML needs no second pass: a
 * reminder rendered just before it goes is not sanitised twice. The newest 10,000 are kept.
 */
const knownClean = new Set<string>();
const knownCleanLimit = 10_000;

const digestOf = (html: string) => createHash('sha256').update(html).digest('base64');

function remember(digest: string): void {
  knownClean.add(digest);
  if (knownClean.size > knownCleanLimit) {
    const oldest = knownClean.values().next().value;
    if (oldest !== undefined) knownClean.delete(oldest);
  }
}

/** Records HTML that the allow-list produced (a render worker's output), for `cleanEmailHtml`. */
export function rememberSanitized(html: string): void {
  remember(digestOf(html));
}

/**
 * Any email's HTML as it may go out: through the allow-list, unless it is known to be the
 * allow-list's own output already (see `knownClean`). What every transport sends.
 */
export function cleanEmailHtml(html: string): string {
  if (knownClean.has(digestOf(html))) return html;
  const cleaned = sanitizeEmailHtml(html);
  remember(digestOf(cleaned));
  return cleaned;
}
