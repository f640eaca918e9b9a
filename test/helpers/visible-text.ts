import { internalKeyPattern } from '../../src/words/labels.js';

/**
 * The text a person sees on a rendered page: without tags, attribute values, scripts, styles,
 * the sandboxed email previews' markup (their `srcdoc` is an attribute) or the form's own values,
 * with the escapes the html helper writes turned back into characters.
 */
export function visibleText(page: string): string {
  return page
    .replace(/<(script|style|datalist)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&(amp|lt|gt|quot|nbsp);/g, (_, name: string) =>
      name === 'amp' ? '&' : name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : ' ',
    )
    .replace(/\s+/g, ' ');
}

/** Each place an internal key shows as text on the page, with a little of what surrounds it. */
export function internalKeysShown(page: string): string[] {
  const text = visibleText(page);
  const found: string[] = [];
  const pattern = new RegExp(internalKeyPattern.source, 'g');
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    found.push(`${match[0]} in “…${text.slice(Math.max(0, at - 40), at + match[0].length + 40)}…”`);
  }
  return found;
}
