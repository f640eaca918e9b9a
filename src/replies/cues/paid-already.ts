import { type Cue, rx } from './cue.js';

/** What turns a statement that something was paid into a condition, a question, or the future. */
const notYetPaid =
  /\b(?:will|'ll|shall|going to|gonna|can|could|would|should|be|get|gets|getting|once|when|if|whether|until|till|unless|wird|werden|werde|sera|seront|vais|allons|va|voy|vamos|zal|zullen|wordt|worden|gaat|gaan|si|wenn|falls|ob|cuando|zodra|sobald|lorsque|quand)\b/;

/** What was paid is another invoice ("I have paid the previous invoice, but not this one"). */
const anotherInvoice =
  /^\s+(?:the|your|that|our|my)\s+(?:previous|last|other|earlier|first|older|old|original)\s+(?:one|ones|invoice|invoices|bill|bills)\b/;

/** Saying it has been paid: a statement in the past, never a condition, a question or the future. */
export const paidAlreadyCues: Cue[] = [
  {
    pattern: rx`\b(?:it|that|this|payment|transfer|money|funds|cheque|check)\s+(?:\w+\s+)?(?:went|has\s+gone|have\s+gone|'s\s+gone)\s+(?:through|out|over|off)\b|\b(?:funds|money|payment|transfer|it|this|that)\s+(?:\w+\s+)?(?:left|have\s+left|has\s+left)\s+(?:us|our|my)\b|\bde\s+deur\s+uit\b|\bist\s+(?:schon\s+|bereits\s+)?raus\b|\bsalio\s+(?:de\s+nuestra|ayer|el)\b|\b(?:pagamos|pague|abonamos)\b~{0,30}?\b(?:ayer|pasad[ao]|hace)\b`,
    weight: 0.8,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  {
    pattern: rx`\b(?:i|we|i've|we've|ive|weve|i\s+have|we\s+have|i\s+had|we\s+had)\s+(?:already\s+|just\s+|now\s+|actually\s+|definitely\s+)?(?:paid|payed|settled|transferred|wired|cleared|sent\s+(?:the\s+|you\s+|over\s+)?(?:payment|money|funds|transfer|cheque|check|remittance)|made\s+(?:the\s+|a\s+|this\s+)?payment)\b`,
    weight: 0.9,
    negatable: true,
    unless: notYetPaid,
    statement: true,
    unlessAfter: anotherInvoice,
  },
  {
    pattern: rx`\b(?:it|this|that|invoice|bill|balance|amount|account|one|these|they|all|both|everything)\b(?:\s+\w+){0,3}?(?:\s+(?:has\s+been|have\s+been|was|were|is|are)|'s\s+been|'s)\s+(?:already\s+|now\s+|fully\s+|just\s+|all\s+)*(?:paid|payed|settled|cleared)\b`,
    weight: 0.9,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  {
    pattern: rx`\b(?:payment|transfer|money|funds|cheque|check|remittance|direct\s+debit|bacs|wire)\b(?:\s+\w+){0,3}?\s+(?:has\s+been|have\s+been|was|were|is|went)\s+(?:already\s+|now\s+|just\s+)*(?:made|sent|processed|transferred|paid|posted|mailed|issued|out|through|in\s+the\s+(?:mail|post)|cleared|released|remitted|actioned|executed|authori[sz]ed)\b`,
    weight: 0.9,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  {
    pattern: rx`\b(?:already|just)\s+(?:been\s+)?(?:paid|payed|settled|transferred)\b|\b(?:paid|payed|settled)\s+(?:that\s+one\s+|this\s+one\s+|it\s+|this\s+|that\s+)?already\b`,
    weight: 0.85,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  {
    pattern: rx`(?:^|[^\w'])(?:paid|payed|settled|transferred|cleared)\s+(?:it\s+|this\s+|that\s+|them\s+)?(?:in\s+full|via|by\s+(?:bank|card|cheque|check|bacs|transfer|direct)|online|yesterday|today|last\s+\w+|on\s+(?:the\s+)?\w+|this\s+morning|earlier|together)\b|\bfully\s+paid\b`,
    weight: 0.8,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  {
    pattern: rx`\b(?:remittance(?:\s+advice)?|proof\s+of\s+payment|payment\s+(?:confirmation|receipt)|transfer\s+confirmation)\b`,
    weight: 0.75,
  },
  // "Did you get my payment?" asks; only with a claim beside it does it say it was paid.
  {
    pattern: rx`\b(?:did|have|haven't|didn't)\s+you\s+(?:not\s+)?(?:receive|received|get|got)\s+(?:my|our|the)\s+(?:payment|transfer|money|cheque|check)`,
    weight: 0.3,
  },
  { pattern: rx`\bcrossed\s+(?:with|in\s+the\s+post)\b`, weight: 0.85 },
  // Telegraphic, at the start of a line: "Payment sent yesterday", "Transfer done 20/11"
  {
    pattern: rx`^[ \t]*(?:(?:the|our|my|your)\s+)?(?:payment|transfer|bank\s+transfer|bacs|funds|money|cheque|check|remittance)\s+(?:now\s+|just\s+|already\s+)?(?:sent|made|done|transferred|processed|released|paid|posted|gone)\b`,
    weight: 0.85,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  // A bare "paid", "all paid up", "already done", "sorted the payment", "went out with last week's run"
  {
    pattern: rx`^[ \t]*(?:all\s+)?(?:paid|settled)(?:\s+(?:up|now|already|in\s+full|today|yesterday))*[ \t]*[.!]*[ \t]*$|\b(?:all\s+)?paid\s+up\b|\balready\s+(?:been\s+)?(?:done|sorted|taken\s+care\s+of|dealt\s+with|actioned|processed)\b`,
    weight: 0.8,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  {
    pattern: rx`\b(?:i|we|i've|we've|i\s+have|we\s+have)\s+(?:already\s+|just\s+)?(?:sorted|actioned|processed|done|made|sent)\s+(?:the\s+|your\s+|this\s+|that\s+)?(?:payment|transfer|bacs|remittance)\b|\b(?:i|we)\s+did\s+(?:actually\s+)?pay\b|\b(?:i|we)\s+(?:paid|gave)\s+(?:you|him|her|your\s+\w+)\s+(?:in\s+)?cash\b`,
    weight: 0.85,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  {
    pattern: rx`\b(?:went|was\s+paid|were\s+paid)\s+(?:out\s+)?(?:with|in|on)\s+(?:last|our\s+last|the\s+last|last\s+\w+'s|\w+'s)\s+(?:\w+\s+)?(?:payment\s+)?run\b|\b(?:was|were)\s+(?:included|part\s+of)\s+(?:in\s+)?(?:the|our|a|last\s+\w+'s)\s+(?:\w+\s+){0,2}?(?:transfer|payment|bacs|run|remittance|batch)\b`,
    weight: 0.85,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  {
    pattern: rx`\b(?:it|this|that|invoice|bill|balance|account|one)\s+(?:has\s+been|have\s+been|'s\s+been|was)\s+(?:already\s+|now\s+)?(?:taken\s+care\s+of|sorted|dealt\s+with|actioned|processed)\b`,
    weight: 0.8,
    negatable: true,
    unless: notYetPaid,
    statement: true,
  },
  // French
  {
    pattern: rx`\b(?:j'ai|nous\s+avons|on\s+a|avons|ai)\s+(?:deja\s+|bien\s+)?(?:paye|payee|regle|reglee|vire|effectue\s+(?:le|un)\s+(?:paiement|virement|reglement))\b`,
    weight: 0.9,
    negatable: true,
    statement: true,
  },
  {
    pattern: rx`\b(?:a|ont|est|sont)\s+(?:deja\s+|bien\s+)?(?:ete\s+)?(?:deja\s+)?(?:payee?s?|reglee?s?|effectuee?|vire|envoye)\b|\bdeja\s+(?:payee?s?|reglee?s?)\b`,
    weight: 0.9,
    negatable: true,
    statement: true,
    unless: /\b(?:si|quand|lorsque|une fois)\b/,
  },
  {
    pattern: rx`\b(?:avis\s+de\s+virement|preuve\s+de\s+paiement|justificatif\s+de\s+(?:paiement|virement))\b`,
    weight: 0.75,
  },
  // German
  {
    pattern: rx`\b(?:habe|haben|hab)\b~{0,40}?\b(?:bezahlt|uberwiesen|ueberwiesen|beglichen|gezahlt)\b`,
    weight: 0.9,
    negatable: true,
    statement: true,
    unless: /\b(?:wenn|falls|ob|sobald|sollten)\b/,
  },
  {
    pattern: rx`\b(?:wurde|wurden|ist|sind|worden)\b~{0,40}?\b(?:bezahlt|uberwiesen|ueberwiesen|beglichen|gezahlt)\b|\b(?:zahlung|uberweisung|ueberweisung)\s+(?:ist|wurde)\s+(?:bereits\s+|schon\s+)?(?:erfolgt|ausgefuhrt|ausgefuehrt|veranlasst|raus|getatigt)\b|\b(?:ist|sind|wurde)\b~{0,40}?\b(?:rausgegangen|rausgeschickt|hinausgegangen|veranlasst|angewiesen)\b`,
    weight: 0.9,
    negatable: true,
    statement: true,
    unless: /\b(?:wenn|falls|ob|sobald|sollten|wird|werden)\b/,
  },
  {
    pattern: rx`\b(?:zahlungsbeleg|zahlungsbestatigung|zahlungsbestaetigung|uberweisungsbeleg|zahlungsnachweis)\b`,
    weight: 0.75,
  },
  // Spanish
  {
    pattern: rx`\b(?:he|hemos|han|ha)\s+(?:ya\s+)?(?:pagado|abonado|transferido|realizado\s+(?:el|la)\s+(?:pago|transferencia)|hecho\s+(?:el|la)\s+(?:pago|transferencia))\b|\b(?:esta|fue|estan|fueron)\s+(?:ya\s+)?(?:pagad[ao]s?|abonad[ao]s?)\b`,
    weight: 0.9,
    negatable: true,
    statement: true,
    unless: /\b(?:si|cuando)\b/,
  },
  {
    pattern: rx`\bya\s+(?:pague|pagamos|abonamos|transferimos)\b|\b(?:el\s+pago|la\s+transferencia)\s+se\s+(?:realizo|hizo|efectuo|envio)\b|(?:^|[^\w])pagad[ao]\s+(?:el|ayer|hoy|por|mediante|con|la\s+semana)\b`,
    weight: 0.9,
    negatable: true,
  },
  { pattern: rx`\bpague\b`, weight: 0.6, negatable: true, unless: /\b(?:que|si|cuando|para)\b/ },
  { pattern: rx`\bcomprobante\b`, weight: 0.75 },
  // Dutch
  {
    pattern: rx`\b(?:heb|hebben|heeft)\b~{0,40}?\b(?:betaald|overgemaakt|voldaan|overgeboekt)\b|\b(?:is|zijn|werd|werden)\b~{0,40}?\b(?:betaald|overgemaakt|voldaan)\b`,
    weight: 0.9,
    negatable: true,
    statement: true,
    unless: /\b(?:als|zodra|indien|of)\b/,
  },
  { pattern: rx`\bbetalingsbewijs\b`, weight: 0.75 },
];
