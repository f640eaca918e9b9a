import { decodeHTML } from 'entities';

/**
 * What the debtor wrote, and nothing else: HTML made text, the quoted reminder and earlier messages
 * cut off, the signature and disclaimers dropped. The reminder's own words ("overdue", "if you have
 * already paid", "set up a payment plan") live in the quote, so they must never reach the rules.
 */
export function ownWords(text: string): string {
  const plain = looksLikeHtml(text) ? htmlToText(text) : text;
  return dropSignature(dropQuoted(plain.replace(/\r\n?/g, '\n'))).trim();
}

const htmlTag =
  /<(?:html|body|div|p|br|span|b|i|u|em|strong|table|td|tr|blockquote|font|a|ul|ol|li)\b[^<>]*>/i;

function looksLikeHtml(text: string): boolean {
  return htmlTag.test(text);
}

/** HTML as the text a person reads: quoted parts (blockquote, Gmail's and Outlook's quote blocks) left out. */
export function htmlToText(markup: string): string {
  let text = markup
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  // Everything from the first quote container on is earlier correspondence.
  const quoteStart = text.search(
    /<blockquote\b|<div[^>]*\b(?:class|id)=["']?(?:gmail_quote|gmail_attr|yahoo_quoted|moz-cite-prefix|divRplyFwdMsg|appendonsend|mail-editor-reference-message-container)\b/i,
  );
  if (quoteStart >= 0) text = text.slice(0, quoteStart);
  text = text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(?:p|div|li|tr|h\d|table)\s*>/gi, '\n')
    .replace(/<(?:p|div|li|tr|h\d)\b[^<>]*>/gi, '\n')
    .replace(/<hr\b[^<>]*>/gi, '\n________________________________\n')
    .replace(/<\/?[a-z][a-z0-9]*\b[^<>]{0,2000}>/gi, '');
  return decodeHTML(text).replace(/\u00a0/g, ' ');
}

const replyHeader =
  /^[ \t]*(?:On|Le|Am|El|Op|Il|Em)\b[^\n]{0,250}(?:\n[^\n]{0,250})?\b(?:wrote|a écrit|schrieb|escribió|schreef|ha scritto|escreveu)\s*:[ \t]*$/im;
const separator =
  /^[ \t]*[-_=]{2,}[ \t]*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Message d’origine|Mensaje original|Oorspronkelijk bericht|Forwarded message|Message transféré|Weitergeleitete Nachricht|Mensaje reenviado|Doorgestuurd bericht)[ \t]*[-_=]*[ \t]*$/im;
const rule = /^[ \t]*_{10,}[ \t]*$/m;
const fromLine = /^[ \t]*\*?(?:From|De|Von|Van|Da|Fra)\*?[ \t]*:/im;
const headerLine =
  /^[ \t]*\*?(?:Sent|Date|Envoyé|Gesendet|Datum|Enviado(?: el)?|Verzonden|Fecha|To|À|An|Para|Aan|Subject|Objet|Betreff|Asunto|Onderwerp|Cc)\*?[ \t]*:/im;

/** Cuts the text at the first sign of earlier correspondence and drops ">" lines anywhere. */
export function dropQuoted(text: string): string {
  let cut = text.length;
  for (const marker of [replyHeader, separator, rule]) {
    const at = text.search(marker);
    if (at >= 0 && at < cut) cut = at;
  }
  // An Outlook header block: "From:" followed within a few lines by "Sent:", "To:" or "Subject:".
  const headerPattern = new RegExp(fromLine.source, 'gim');
  for (let match = headerPattern.exec(text); match; match = headerPattern.exec(text)) {
    if (match.index >= cut) break;
    const following = text
      .slice(match.index, match.index + 600)
      .split('\n')
      .slice(1, 5)
      .join('\n');
    if (headerLine.test(following)) {
      cut = match.index;
      break;
    }
  }
  return text
    .slice(0, cut)
    .split('\n')
    .filter((line) => !/^[ \t]*>/.test(line))
    .join('\n');
}

const deviceLine =
  /^[ \t]*(?:Sent from my|Sent from Mail for|Get Outlook for|Envoyé de mon|Envoyé depuis|Von meinem|Gesendet von|Enviado desde mi|Verstuurd vanaf mijn|Verzonden vanaf mijn)\b/im;
const disclaimer =
  /^[ \t]*(?:CONFIDENTIALITY|DISCLAIMER|This (?:e-?mail|message)(?: and any (?:attachments|files)[^\n]{0,40})? (?:is|are|may (?:be|contain))\b[^\n]{0,30}confidential|Ce (?:message|courriel|mail) (?:et ses pièces jointes )?(?:est|sont) confidentiel|Diese (?:E-Mail|Nachricht) (?:enthält|ist) vertraulich|Este (?:mensaje|correo) (?:es|contiene) (?:información )?confidencial|Dit (?:e-mail)?bericht is (?:uitsluitend|vertrouwelijk))/im;
const signatureDelimiter = /^-- ?$/m;

/** Drops a signature ("-- "), the device line ("Sent from my iPhone") and legal disclaimers. */
export function dropSignature(text: string): string {
  let cut = text.length;
  for (const marker of [signatureDelimiter, deviceLine, disclaimer]) {
    const at = text.search(marker);
    if (at > 0 && at < cut) cut = at;
  }
  return text.slice(0, cut);
}

/**
 * The text as the rules read it, one character for one: lower case, accents dropped (é → e, ü → u),
 * typographic apostrophes straight. Same length as the input, so a match points back at the words.
 */
export function fold(text: string): string {
  let out = '';
  for (const character of text) {
    let folded = character === '’' || character === '‘' || character === '´' ? "'" : character.toLowerCase();
    const bare = folded.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (bare.length === 1) folded = bare;
    // Keep the length: a character whose folding changes it stays as it was (lowercased if possible).
    out += folded.length === character.length ? folded : character;
  }
  return out;
}
