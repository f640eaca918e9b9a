import { decodeHTMLAttribute } from 'entities';
import sanitizeHtml from 'sanitize-html';

/** CSS that fetches (tracking, `url()`), runs (old IE `expression`, bindings) or hides itself in escapes. */
const unsafeStyle = /url\s*\(|expression\s*\(|javascript:|vbscript:|@import|behavior\s*:|-moz-binding|\\/i;

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
 * What an email's HTML may contain once rendered: the document frame, text structure, links,
 * tables and inline styles, and nothing that runs, submits, redirects or embeds (scripts, event
 * handlers, forms, meta refresh, SVG, iframes, style sheets). The check runs on what Liquid
 * produced, so markup split across Liquid tags (`<scr{{ "" }}ipt>`) is caught as well.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'html',
    'head',
    'meta',
    'title',
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
