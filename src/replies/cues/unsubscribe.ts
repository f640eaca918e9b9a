import { type Cue, rx } from './cue.js';

/** A request to stop only until something is done is not an opt-out. */
const untilPutRight =
  /^[^.!?\n]{0,80}?\b(?:until|till|unless|while|pending|for now|for the time being|bis|jusqu'a|hasta|totdat|tot)\b/;

/** Asking not to be written to again: an opt-out, never one "until" something is put right. */
export const unsubscribeCues: Cue[] = [
  {
    pattern: rx`\b(?:(?:don't|do\s+not|no\s+longer)\s+(?:want|wish)\s+to\s+(?:receive|get)\s+(?:these|your|any|such|the)?\s*(?:e-?mails|emails|reminders|messages|mails)|cease\s+(?:all\s+)?(?:e-?mail\s+)?(?:contact|communication|correspondence|emailing)|ne\s+(?:souhaite|veux|voulons|souhaitons)\s+plus\s+recevoir|(?:loschen|loeschen|entfernen|nehmen)\s+sie\s+(?:mich|meine|uns)\b~{0,30}?\b(?:verteiler|liste|adresse|daten|aus)|no\s+(?:quiero|deseo|queremos)\s+recibir|(?:wil|willen)\s+(?:geen|niet\s+langer|deze)\b~{0,30}?\b(?:e-?mails|mails|berichten|herinneringen)\s+(?:meer\s+)?(?:ontvangen)?)`,
    weight: 0.9,
    unless: /\b(?:until|till|unless|while|for now|pending)\b/,
    unlessAfter: untilPutRight,
  },
  {
    pattern: rx`\bstop\s+(?:sending|emailing|e-mailing|mailing|contacting|messaging|writing\s+to)\b`,
    weight: 0.9,
    soft: true,
    unless: /\b(?:until|till|unless|while|for now|for the time being|for a (?:few|couple)|pending)\b/,
    unlessAfter: untilPutRight,
  },
  {
    pattern: rx`\b(?:unsubscrib\w*|opt(?:-| )?out|opt\s+(?:me|us)\s+out|(?:remove|take|delete|drop)\s+(?:me|us|my\s+(?:e-?mail|address|details|name)|this\s+(?:e-?mail\s+)?address|our\s+(?:e-?mail|address))\s+(?:\w+\s+){0,3}?(?:off|from)\b|(?:remove|delete)\s+(?:this|my|our)\s+(?:e-?mail\s+)?address\b|(?:take|remove)\s+(?:me|us)\s+off\b|(?:do\s+not|don't|dont|never)\s+(?:e-?mail|contact|write\s+to|message|mail)\s+(?:me|us)\b|no\s+more\s+(?:e-?mails|reminders|messages)|(?:don't|do\s+not)\s+contact\s+(?:me|us)\s+(?:by\s+e-?mail|again)|(?:don't|do\s+not)\s+(?:want|wish)\s+(?:to\s+receive\s+)?(?:any\s+)?(?:more|further)\s+(?:e-?mails|reminders|messages)|further\s+contact\s+should\s+be)`,
    weight: 0.9,
    unless: /\b(?:until|till|unless|while|for now|for the time being|for a (?:few|couple)|pending)\b/,
    unlessAfter: untilPutRight,
  },
  {
    pattern: rx`\b(?:desabonn\w*|desinscri\w*|ne\s+plus\s+(?:m'|nous\s+|me\s+)?(?:envoyer|contacter|ecrire)|retirez[- ]moi|me\s+retirer\s+de|arretez\s+de\s+(?:m'|nous\s+)?(?:envoyer|ecrire|contacter))`,
    weight: 0.9,
  },
  {
    pattern: rx`\b(?:abmelden|abbestellen|austragen|tragen\s+sie\s+mich\s+aus|keine\s+(?:weiteren\s+)?(?:e-?mails|mails|nachrichten|erinnerungen|zuschriften)|nicht\s+mehr\s+(?:kontaktieren|anschreiben|schreiben|mailen)|aus\s+(?:ihrem|dem)\s+verteiler)`,
    weight: 0.9,
  },
  {
    pattern: rx`\b(?:dar(?:me|nos)?\s+de\s+baja|baja\s+de\s+(?:la|su)\s+lista|no\s+me\s+(?:envien|manden|escriban|contacten)\s+mas|dejen\s+de\s+(?:enviar|mandar|escribir|contactar)|cancelar\s+(?:la\s+)?suscripcion)`,
    weight: 0.9,
  },
  {
    pattern: rx`\b(?:afmelden|uitschrijven|geen\s+(?:e-?mails|mails|berichten|herinneringen)\s+meer|niet\s+meer\b~{0,25}?\b(?:ontvangen|mailen|e-?mailen|contacteren|sturen|toesturen)|stop\s+met\s+(?:mailen|sturen))`,
    weight: 0.9,
  },
];
