/**
 * The phrases each class is recognised by, in English, French, German, Spanish and Dutch. They are
 * matched against folded text (lower case, accents dropped: "überwiesen" is "uberwiesen"), only
 * against what the debtor wrote (never the quoted reminder). A weight is how sure one phrase makes
 * the class on its own; 0.5 and over decides it.
 */
export type ContentClass = 'unsubscribe' | 'dispute' | 'paid_already' | 'plan_request' | 'promise';

export interface Cue {
  pattern: RegExp;
  weight: number;
  /** Discounted when its clause says no ("have not paid", "nicht bezahlt", "n'a pas été payée"). */
  negatable?: boolean;
  /** Discounted when its clause (up to the phrase) matches this: conditions, the future. */
  unless?: RegExp;
  /** Discounted when the rest of its sentence matches this ("stop sending reminders until …"). */
  unlessAfter?: RegExp;
  /** A statement, not a question: discounted when its clause ends in "?" ("was this paid?", "can I pay by card?"). */
  statement?: boolean;
}

/** Any character of one sentence: a dot counts only after a digit (16.11. is a date, not an end). */
const sentenceCharacter = String.raw`(?:[^.!?\n]|(?<=\d)\.)`;

/** A global regular expression from a raw template; "~" stands for one character of the same sentence. */
function rx(strings: TemplateStringsArray): RegExp {
  return new RegExp(String.raw(strings).replaceAll('~', sentenceCharacter), 'gm');
}

/** What turns a statement that something was paid into a condition, a question, or the future. */
const notYetPaid =
  /\b(?:will|'ll|shall|going to|gonna|can|could|would|should|be|get|gets|getting|once|when|if|whether|until|till|unless|wird|werden|werde|sera|seront|vais|allons|va|voy|vamos|zal|zullen|wordt|worden|gaat|gaan|si|wenn|falls|ob|cuando|zodra|sobald|lorsque|quand)\b/;

/** A request to stop only until something is done is not an opt-out. */
const untilPutRight =
  /^[^.!?\n]{0,80}?\b(?:until|till|unless|while|pending|for now|for the time being|bis|jusqu'a|hasta|totdat|tot)\b/;

export const cues: Record<ContentClass, Cue[]> = {
  unsubscribe: [
    {
      pattern: rx`\b(?:(?:don't|do\s+not|no\s+longer)\s+(?:want|wish)\s+to\s+(?:receive|get)\s+(?:these|your|any|such|the)?\s*(?:e-?mails|emails|reminders|messages|mails)|cease\s+(?:all\s+)?(?:e-?mail\s+)?(?:contact|communication|correspondence|emailing)|ne\s+(?:souhaite|veux|voulons|souhaitons)\s+plus\s+recevoir|(?:loschen|loeschen|entfernen)\s+sie\s+(?:mich|meine)|no\s+(?:quiero|deseo|queremos)\s+recibir|(?:wil|willen)\s+(?:geen|niet\s+langer|deze)\b~{0,30}?\b(?:e-?mails|mails|berichten|herinneringen)\s+(?:meer\s+)?(?:ontvangen)?)`,
      weight: 0.9,
      unless: /\b(?:until|till|unless|while|for now|pending)\b/,
      unlessAfter: untilPutRight,
    },
    {
      pattern: rx`\b(?:unsubscrib\w*|opt(?:-| )?out|(?:remove|take|delete|drop)\s+(?:me|us|my\s+(?:e-?mail|address|details|name)|this\s+(?:e-?mail\s+)?address|our\s+(?:e-?mail|address))\s+(?:\w+\s+){0,3}?(?:off|from)\b|stop\s+(?:sending|emailing|e-mailing|mailing|contacting|messaging|writing\s+to)|(?:do\s+not|don't|dont|never)\s+(?:e-?mail|contact|write\s+to|message|mail)\s+(?:me|us)\b|no\s+more\s+(?:e-?mails|reminders|messages)|(?:don't|do\s+not)\s+(?:want|wish)\s+(?:to\s+receive\s+)?(?:any\s+)?(?:more|further)\s+(?:e-?mails|reminders|messages)|further\s+contact\s+should\s+be)`,
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
      pattern: rx`\b(?:afmelden|uitschrijven|geen\s+(?:e-?mails|mails|berichten|herinneringen)\s+meer|niet\s+meer\s+(?:ontvangen|mailen|contacteren|sturen)|stop\s+met\s+(?:mailen|sturen))`,
      weight: 0.9,
    },
  ],

  dispute: [
    {
      pattern: rx`\b(?:isn't|is\s+not|aren't|are\s+not|not)\s+(?:quite\s+)?(?:right|correct|accurate)\b|\bhalf[- ](?:done|finished)\b|\bnot\s+happy\s+(?:paying|to\s+pay|with\s+(?:the|this|your))|\bunhappy\s+with\b|\bonly\s+(?:received|got|delivered|had)\s+(?:\d+|one|two|three|four|half|part)\b|\bshort[- ](?:delivered|shipped|delivery)|\bcharged\s+(?:\w+\s+){0,2}?(?:separately|extra|for\s+(?:things|work|items|parts))\b|\bshould\s+have\s+been\s+(?:billed|invoiced|sent|charged|addressed)\s+to\b|\b(?:double|twice|more\s+than)\s+(?:what\s+(?:was|we\s+were)\s+(?:quoted|agreed)|the\s+(?:quote|quoted|agreed))|\b(?:than|what\s+was|what\s+we\s+were)\s+(?:quoted|agreed)\b|\bnot\s+what\s+(?:we|i)\s+(?:ordered|agreed|asked\s+for)\b`,
      weight: 0.8,
    },
    {
      pattern: rx`\b(?:ne\s+(?:paierons|payerons|paierai|payerai|reglerons|reglerai)\s+pas|refus\w*\s+de\s+payer|no\s+(?:pagaremos|pagare|vamos\s+a\s+pagar|voy\s+a\s+pagar|pensamos\s+pagar)|mal\s+hech[ao]|(?:betalen|betaal)\s+(?:\w+\s+)?niet\b|weiger\w*\s+te\s+betalen|(?:zahlen|bezahlen|zahle)\s+(?:\w+\s+)?nicht\b|zuruckgeschickt|zurueckgeschickt|zuruckgesandt|hinfallig|hinfaellig|(?:passen|passt|funktionier\w*)\s+nicht|(?:niet|het\s+niet)\s+eens\s+met|afgesproken\s+prijs|renvoy\w*|pas\s+conforme)\b`,
      weight: 0.85,
    },
    // Saying so
    {
      pattern: rx`\b(?:dispute|disputing|disputed|contest|contesting|contested|querying|queried|complaint|object\s+to)\b`,
      weight: 0.9,
      negatable: true,
    },
    // The invoice, amount or price is wrong
    {
      pattern: rx`\b(?:invoice|bill|amount|price|total|charges?|figures?|hours|rate|vat|quantity|calculation|print\s+run)\b~{0,30}?\b(?:is|are|was|were|seems?|looks?)\s+(?:\w+\s+)?(?:wrong|incorrect|inaccurate|too\s+high|excessive|not\s+right|not\s+correct|inflated|overstated|a\s+mistake|in\s+error)\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:doesn't|does\s+not|don't|do\s+not|didn't|did\s+not)\s+(?:match|look\s+right|add\s+up|reflect|correspond)\b`,
      weight: 0.8,
    },
    {
      pattern: rx`\bwrong\s+(?:amount|price|rate|quantity|company|customer|person|address|invoice|figures?|vat|hours|colou?rs?|items?|size|model)\b`,
      weight: 0.85,
    },
    {
      pattern: rx`(?<!\bmy\s|\bour\s|\bmy\sown\s)\b(?:mistake|error)s?\b|\bdiscrepanc(?:y|ies)\b`,
      weight: 0.8,
    },
    // Never received, ordered, done or agreed
    {
      pattern: rx`(?<!\byou\s|\byou've\s|\byou\shave\s)\b(?:never|not|didn't|did\s+not|haven't|have\s+not|hasn't|has\s+not|wasn't|was\s+not|weren't|were\s+not)\s+(?:\w+\s+)?(?:received|ordered|delivered|arrived|supplied|fitted|installed|completed|complete|finished|done|attended|turned\s+up|showed\s+up|agreed|signed|requested|authori[sz]ed|came\s+back|order(?:ed)?|receive|get|got)\b(?!\s+(?:\w+\s+)?(?:payment|money|funds|salary|wages|paid|your\s+bank|bank\s+details))`,
      weight: 0.8,
    },
    { pattern: rx`\b(?:nobody|no\s+one|no-one)\s+(?:came|attended|turned\s+up|showed\s+up)\b`, weight: 0.85 },
    {
      pattern: rx`\b(?:faulty|damaged|defective|broken|leaking|leaks|poor\s+quality|substandard|shoddy|unfinished|disaster|missing\s+(?:items?|parts?|pieces?|goods))\b`,
      weight: 0.75,
    },
    {
      pattern: rx`\bmissed\s+(?:\w+\s+){0,3}?(?:visits?|appointments?|days|sessions|deliveries|cleans?)\b`,
      weight: 0.8,
    },
    {
      pattern: rx`\b(?:overcharg\w+|over-charg\w+|double[- ]?(?:billed|charged|invoiced)|(?:charged|billed|invoiced)\s+(?:us\s+|me\s+)?twice|duplicates?\b|duplicated)`,
      weight: 0.9,
    },
    { pattern: rx`\b(?:credit\s+note|refund)\b`, weight: 0.75 },
    {
      pattern: rx`\b(?:(?:don't|do\s+not|dont)\s+owe|owe\s+(?:you\s+)?nothing|not\s+(?:our|my)\s+(?:invoice|order|debt|account|bill)|never\s+done\s+business|wrong\s+company)\b`,
      weight: 0.9,
    },
    // Refusing to pay, or not until something is put right
    {
      pattern: rx`\b(?:won't|will\s+not|wont|not\s+going\s+to|refuse\s+to|i'm\s+not|we're\s+not|am\s+not|are\s+not)\s+(?:be\s+)?(?:paying|pay)\b`,
      weight: 0.85,
    },
    {
      pattern: rx`\buntil\s+(?:you(?:'ve|\s+have)?|the|it|this)\s+(?:\w+\s+){0,3}?(?:fix(?:ed)?|resolved?|sort(?:ed)?|correct(?:ed)?|complete[d]?|finished|put\s+right|arrives?)\b`,
      weight: 0.8,
    },
    { pattern: rx`\b(?:only\s+pay(?:ing)?\s+for|not\s+a\s+(?:cent|penny)\s+more)\b`, weight: 0.8 },
    {
      pattern: rx`\b(?:cancel+ed|was\s+cancel+ed)\s+(?:\w+\s+){0,2}?(?:order|contract|service|subscription|booking|by\s+phone|in\s+\w+)\b|\b(?:order|contract|service|subscription|booking)\s+was\s+cancel+ed\b|\bshould\s+(?:not|never)\s+have\s+been\s+(?:raised|charged|invoiced|billed|sent)`,
      weight: 0.85,
    },
    {
      pattern: rx`\b(?:should|was\s+supposed\s+to|meant\s+to|was\s+meant\s+to)\s+(?:be|have\s+been)\s+(?:covered|free|included|under\s+(?:the\s+)?warranty|credited|cancel+ed)|\b(?:shouldn't|should\s+not)\s+be\s+(?:a\s+)?charged?\b`,
      weight: 0.85,
    },
    {
      pattern: rx`\b(?:we|i)\s+(?:returned|sent\s+back)\b|\bsent\s+(?:it|them|the\s+\w+)\s+back\b`,
      weight: 0.75,
    },
    {
      pattern: rx`\b(?:we|i)\s+agreed\s+(?:on\s+)?(?:£|\$|€|\d|a\s+price|the\s+price)|\b(?:was|were)\s+(?:never\s+)?not\s+agreed\b|\bnot\s+as\s+(?:agreed|quoted|ordered|described)\b`,
      weight: 0.8,
    },
    {
      pattern: rx`\b(?:still\s+)?(?:doesn't|does\s+not|won't)\s+(?:work|close|open|fit|start)\b`,
      weight: 0.7,
    },
    // French
    { pattern: rx`\b(?:contest\w*|litige|reclamation|desaccord)\b`, weight: 0.9, negatable: true },
    {
      pattern: rx`\b(?:facture|montant|prix|total)\b~{0,30}?\b(?:errone|erronee|incorrecte?|faux|fausse|pas\s+(?:correcte?|juste|bon))\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:jamais|pas)\s+(?:ete\s+)?(?:recue?s?|commandee?s?|livree?s?|realisee?s?|effectuee?s?|terminee?s?|finie?s?)\b`,
      weight: 0.8,
    },
    { pattern: rx`\b(?:defectueu\w*|endommage\w*|abime\w*|non\s+conforme)`, weight: 0.75 },
    { pattern: rx`\b(?:l'|un\s+|votre\s+|cet\s+)avoir\b`, weight: 0.7 },
    { pattern: rx`\b(?:facture\w*\s+deux\s+fois|en\s+double|doublon)\b`, weight: 0.9 },
    { pattern: rx`\b(?:ne|n')\s*(?:devons|dois)\s+rien\b`, weight: 0.9 },
    // German
    {
      pattern: rx`\b(?:reklamation\w*|reklamier\w*|einspruch|widersprech\w*|widerspruch|bestreit\w*|beanstand\w*|mangelanzeige|maengelanzeige|mangelhaft|maengel|mangel)\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:rechnung|betrag|summe|abrechnung|position)\b~{0,30}?\b(?:nicht\s+korrekt|nicht\s+richtig|falsch|fehlerhaft|zu\s+hoch|unrichtig|nicht\s+nachvollziehbar)\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:nie|nicht|niemals|keine?)\b~{0,30}?\b(?:erhalten|bestellt|geliefert|bekommen|angekommen|erbracht|beauftragt)\b`,
      weight: 0.8,
    },
    { pattern: rx`\b(?:doppelt|zweimal)\s+(?:berechnet|abgerechnet|in\s+rechnung|fakturiert)`, weight: 0.9 },
    { pattern: rx`\b(?:gutschrift|defekt\w*|beschadigt|beschaedigt|kaputt)\b`, weight: 0.75 },
    {
      pattern: rx`\b(?:werden|werde)\s+(?:daher\s+|deshalb\s+|also\s+)?nicht\s+(?:zahlen|bezahlen)|\bzahlen\s+(?:wir|ich)\s+nicht\b`,
      weight: 0.85,
    },
    // Spanish
    {
      pattern: rx`\b(?:reclamacion|reclamar|reclamo|disputa|impugn\w*|no\s+estamos\s+de\s+acuerdo|no\s+estoy\s+de\s+acuerdo|desacuerdo)\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:factura|importe|monto|precio|cargo)\b~{0,30}?\b(?:incorrect[ao]s?|equivocad[ao]s?|erroneo|erronea|mal)\b|\bno\s+corresponde\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:nunca|no)\s+(?:\w+\s+)?(?:recibimos|recibi|hemos\s+recibido|he\s+recibido|pedimos|encargamos|solicitamos|llego|llegaron)\b`,
      weight: 0.8,
    },
    { pattern: rx`\b(?:cobrado\s+(?:dos\s+veces|doble)|duplicad[ao]s?)\b`, weight: 0.9 },
    { pattern: rx`\b(?:defectuos[ao]s?|danad[ao]s?|rot[ao]s?)\b`, weight: 0.75 },
    // Dutch
    { pattern: rx`\b(?:betwist\w*|bezwaar|niet\s+akkoord|oneens|klacht|reclamatie)\b`, weight: 0.9 },
    {
      pattern: rx`\b(?:klopt\s+niet|klopt\s+geen|niet\s+juist|onjuist|niet\s+correct|te\s+hoog)\b`,
      weight: 0.85,
    },
    {
      pattern: rx`\b(?:niet|nooit|geen)\b~{0,30}?\b(?:ontvangen|besteld|geleverd|gewerkt|uitgevoerd|aangekomen|gekregen)\b`,
      weight: 0.8,
    },
    { pattern: rx`\b(?:beschadigd|defect|kapot|creditnota|creditfactuur)\b`, weight: 0.75 },
    { pattern: rx`\b(?:dubbel|twee\s+keer)\s+(?:gefactureerd|berekend|in\s+rekening)`, weight: 0.9 },
    { pattern: rx`\b(?:betalen|betaald)\s+pas\s+als\b|\bpas\s+(?:betalen|betaald)\s+als\b`, weight: 0.8 },
  ],

  paid_already: [
    {
      pattern: rx`\b(?:it|that|this|payment|transfer|money|funds|cheque|check)\s+(?:\w+\s+)?(?:went|has\s+gone|have\s+gone|'s\s+gone)\s+(?:through|out|over|off)\b|\b(?:funds|money|payment)\s+(?:\w+\s+)?(?:left|have\s+left|has\s+left)\s+(?:us|our|my)\b|\bde\s+deur\s+uit\b|\bist\s+(?:schon\s+|bereits\s+)?raus\b|\bsalio\s+(?:de\s+nuestra|ayer|el)\b|\b(?:pagamos|pague|abonamos)\b~{0,30}?\b(?:ayer|pasad[ao]|hace)\b`,
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
    },
    {
      pattern: rx`\b(?:it|this|that|invoice|bill|balance|amount|account|one|these|they|all|both|everything)\b(?:\s+\w+){0,3}?(?:\s+(?:has\s+been|have\s+been|was|were|is|are)|'s\s+been|'s)\s+(?:already\s+|now\s+|fully\s+|just\s+|all\s+)*(?:paid|payed|settled|cleared)\b`,
      weight: 0.9,
      negatable: true,
      unless: notYetPaid,
      statement: true,
    },
    {
      pattern: rx`\b(?:payment|transfer|money|funds|cheque|check|remittance|direct\s+debit|bacs|wire)\b(?:\s+\w+){0,3}?\s+(?:has\s+been|have\s+been|was|were|is|went)\s+(?:already\s+|now\s+|just\s+)*(?:made|sent|processed|transferred|paid|posted|mailed|issued|out|through|in\s+the\s+(?:mail|post)|cleared)\b`,
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
      pattern: rx`(?:^|[^\w'])(?:paid|payed)\s+(?:it\s+|this\s+|that\s+|them\s+)?(?:in\s+full|via|by\s+(?:bank|card|cheque|check|bacs|transfer|direct)|online|yesterday|today|last\s+\w+|on\s+(?:the\s+)?\w+|this\s+morning|earlier|together)\b|\bfully\s+paid\b`,
      weight: 0.8,
      negatable: true,
      unless: notYetPaid,
      statement: true,
    },
    {
      pattern: rx`\b(?:remittance(?:\s+advice)?|proof\s+of\s+payment|payment\s+(?:confirmation|receipt)|transfer\s+confirmation)\b`,
      weight: 0.75,
    },
    {
      pattern: rx`\b(?:did|have|haven't|didn't)\s+you\s+(?:not\s+)?(?:receive|received|get|got)\s+(?:my|our|the)\s+(?:payment|transfer|money|cheque|check)|\bcrossed\s+(?:with|in\s+the\s+post)\b`,
      weight: 0.85,
    },
    // French
    {
      pattern: rx`\b(?:j'ai|nous\s+avons|on\s+a|avons|ai)\s+(?:deja\s+|bien\s+)?(?:paye|payee|regle|reglee|vire|effectue\s+(?:le|un)\s+(?:paiement|virement|reglement))\b`,
      weight: 0.9,
      negatable: true,
    },
    {
      pattern: rx`\b(?:a|ont|est|sont)\s+(?:deja\s+|bien\s+)?(?:ete\s+)?(?:deja\s+)?(?:payee?s?|reglee?s?|effectuee?|vire|envoye)\b|\bdeja\s+(?:payee?s?|reglee?s?)\b`,
      weight: 0.9,
      negatable: true,
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
      unless: /\b(?:wenn|falls|ob|sobald|sollten)\b/,
    },
    {
      pattern: rx`\b(?:wurde|wurden|ist|sind|worden)\b~{0,40}?\b(?:bezahlt|uberwiesen|ueberwiesen|beglichen|gezahlt)\b|\b(?:zahlung|uberweisung|ueberweisung)\s+(?:ist|wurde)\s+(?:bereits\s+|schon\s+)?(?:erfolgt|ausgefuhrt|ausgefuehrt|veranlasst|raus|getatigt)\b`,
      weight: 0.9,
      negatable: true,
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
      unless: /\b(?:als|zodra|indien|of)\b/,
    },
    { pattern: rx`\bbetalingsbewijs\b`, weight: 0.75 },
  ],

  plan_request: [
    {
      pattern: rx`\b(?:half\s+now|part\s+now|some\s+now|(?:\d+|a\s+bit)\s+now\s+and\b|(?:pay(?:ing)?\s+)?in\s+stages|staged\s+payments?|stage\s+payments|every\s+(?:two|other|couple\s+of)\s+weeks|fortnightly|bi-?weekly|(?:every|each)\s+month|of\s+(?:every|each)\s+month|work\s+(?:something|an\s+arrangement|a\s+deal)\s+out|teilbetrag\w*|in\s+(?:\w+\s+)?(?:tranchen|teilen)|en\s+varios\s+(?:meses|pagos|plazos)|en\s+(?:\d+|dos|tres|cuatro|seis)\s+meses|in\s+(?:twee|drie|vier|vijf|\d+)\s+(?:keer|delen|maanden)|en\s+(?:plusieurs|\d+|deux|trois)\s+(?:mois|paiements))\b`,
      weight: 0.85,
      unless: /\b(?:runs?|cycle|payment run|pay run)\b/,
    },
    {
      pattern: rx`\b(?:payment\s+plan|repayment\s+plan|instal+ments?|instal+ment\s+plan|(?:payment|repayment|instal+ment)\s+arrangement|monthly\s+(?:payments|instal+ments|amounts)|weekly\s+payments|part\s+payments?|partial\s+payments?|in\s+(?:smaller\s+)?(?:chunks|stages|parts|halves|portions)|two\s+halves|spread\s+(?:the\s+)?(?:cost|payments?|it|this|the\s+balance|the\s+amount)|split\s+(?:it|this|the\s+(?:payment|balance|amount|cost|bill|invoice))|pay\s+(?:it\s+|this\s+)?off\s+(?:gradually|slowly|over|bit\s+by\s+bit)|(?:agree|set\s+up|arrange|work\s+out)\s+(?:a\s+|an\s+)?(?:plan|arrangement|schedule)|not\s+all\s+in\s+one\s+go|(?:one|an?)\s+invoice\s+(?:a|per|each)\s+month|part\s+now\s+and\s+the\s+rest|standing\s+order)\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:\d+\s+|two\s+|three\s+|four\s+|five\s+|six\s+)(?:monthly|weekly)\s+(?:payments|instal+ments)\b|(?:£|\$|€)?\s?\d[\d,.]*\s*(?:£|\$|€|euros?|eur|dollars?|pounds?)?\s*(?:a|per|each|every|/|pro|par|al|por|im)\s*(?:month|week|mois|semaine|monat|woche|mes|semana|maand)\b`,
      weight: 0.85,
    },
    {
      pattern: rx`\b(?:echeancier|plusieurs\s+(?:fois|mensualites|versements)|en\s+(?:\d+|deux|trois|quatre|cinq|six)\s+(?:fois|mensualites|versements)|mensualites|etaler|echelonn\w*|plan\s+de\s+(?:paiement|remboursement)|paiements?\s+partiels?)\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:ratenzahlung\w*|raten|teilzahlung\w*|ratenplan|ratenvereinbarung|zahlungsplan|abstottern|monatlich\s+\d+|\d+\s*(?:€|euro|eur)?\s*monatlich)\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:plan\s+de\s+pagos?|a\s+plazos|en\s+(?:\d+|dos|tres|cuatro|seis)\s+(?:cuotas|pagos|plazos)|cuotas|fraccionar|fraccionado|pagos\s+parciales|pago\s+parcial)\b`,
      weight: 0.9,
    },
    {
      pattern: rx`\b(?:betalingsregeling|afbetalingsregeling|regeling\s+(?:treffen|afspreken|aanvragen)|in\s+termijnen|termijnen|gespreid\s+(?:betalen|betaling)|afbetalen|per\s+maand|maandelijks)\b`,
      weight: 0.9,
    },
  ],

  promise: [
    {
      pattern: rx`\b(?:will|'ll)\s+(?:have|get)\s+(?:the\s+)?(?:money|payment|funds|it|this|a\s+transfer)\s+(?:to|with|over\s+to)\s+you\b|\bexpect\s+(?:the\s+|our\s+|my\s+)?(?:payment|money|funds|transfer|it)\b|\b(?:funds|payment|money|transfer|it)\s+(?:should|will|'ll)\s+(?:be\s+with\s+you|reach\s+you|arrive|land|clear|be\s+in\s+your\s+account)\b|\b(?:will|'ll)\s+(?:make\s+sure|ensure|see\s+to\s+it)\b~{0,30}?\b(?:paid|settled|sent|pay)\b|\b(?:i'm|we're|i\s+am|we\s+are)\s+(?:paying|settling|transferring|clearing)\b`,
      weight: 0.8,
      negatable: true,
      statement: true,
    },
    {
      pattern: rx`\b(?:virement|paiement|reglement)\s+(?:part|partira|sera\s+fait)\b|\b(?:hago|hacemos|hare|haremos)\s+(?:el\s+)?ingreso\b|\b(?:ingresare|ingresaremos)\b`,
      weight: 0.8,
      negatable: true,
      statement: true,
    },
    {
      pattern: rx`\b(?:will|'ll|shall|going\s+to|gonna|intend\s+to|plan(?:ning)?\s+to|aim\s+to|expect\s+to|hope\s+to|hoping\s+to|(?:i|we)\s+can|(?:i|we)\s+could|^can|^could)\s+(?:\w+\s+){0,2}?(?:pay|settle|transfer|wire|clear\s+(?:it|this|the)|sort\s+(?:it|this)|process\s+(?:it|this|the\s+payment)|make\s+(?:the\s+)?payment|send\s+(?:the\s+|you\s+)?(?:payment|money|funds|transfer|cheque|check)|get\s+(?:it|this|that|the\s+\w+)\s+(?:paid|sorted|settled|sent|done))\b`,
      weight: 0.85,
      negatable: true,
      statement: true,
    },
    {
      pattern: rx`\b(?:will|'ll|shall|should|is\s+going\s+to|are\s+going\s+to)\s+(?:\w+\s+)?be\s+(?:\w+\s+)?(?:paid|settled|processed|transferred|sent|cleared|released)\b|\bwill\s+(?:go\s+out|be\s+with\s+you|reach\s+you|leave\s+our\s+account|hit\s+your\s+account)\b`,
      weight: 0.85,
      negatable: true,
      statement: true,
    },
    {
      pattern: rx`\b(?:payment\s+run|payment\s+cycle|pay\s+run|supplier\s+run|\w+'s\s+run|scheduled\s+(?:for|on)|is\s+scheduled|raised\s+(?:it\s+)?for\s+payment)\b`,
      weight: 0.8,
    },
    {
      pattern: rx`\b(?:pay|paying|settle|settling|transfer|transferring)\s+(?:it\s+|this\s+|that\s+|them\s+|the\s+(?:\w+\s+){1,2}?)?(?:by|on|before|next|this|tomorrow|today|at\s+the\s+end|end\s+of|first\s+thing|within|monday|tuesday|wednesday|thursday|friday)\b`,
      weight: 0.75,
      negatable: true,
      statement: true,
      unless: /\b(?:can you|could you|if|how|when can|please)\b/,
    },
    {
      pattern: rx`\b(?:will|'ll)\s+do\s+(?:it|this|that|the\s+(?:payment|transfer))\b`,
      weight: 0.6,
      negatable: true,
    },
    // French
    {
      pattern: rx`\b(?:je|nous|on)\s+(?:vous\s+)?(?:vais|allons|va|pourrai|pourrons|compte|comptons|prevois|prevoyons)\s+(?:vous\s+)?(?:payer|regler|faire\s+(?:le|un)\s+(?:virement|paiement|reglement)|virer|effectuer|proceder)\b|\b(?:paierai|paierons|payerai|payerons|reglerai|reglerons|virerai|virerons|ferai\s+le\s+virement|ferons\s+le\s+virement|effectuerons|effectuerai)\b`,
      weight: 0.85,
      negatable: true,
      statement: true,
    },
    {
      pattern: rx`\b(?:sera|seront)\s+(?:\w+\s+)?(?:payee?s?|reglee?s?|effectuee?|vire|envoye|fait)\b|\b(?:reglement|paiement|virement)\s+partira\b|\b(?:je|nous)\s+(?:vous\s+)?(?:fais|faisons)\s+(?:le|un)\s+(?:virement|paiement|reglement)\b`,
      weight: 0.85,
      negatable: true,
      statement: true,
    },
    // German
    {
      pattern: rx`\b(?:werde|werden|wird)\b~{0,40}?\b(?:bezahlen|zahlen|uberweisen|ueberweisen|begleichen|bezahlt|uberwiesen|ueberwiesen|beglichen|angewiesen)\b`,
      weight: 0.9,
      negatable: true,
      statement: true,
    },
    {
      pattern: rx`\b(?:zahle|zahlen|uberweise|ueberweise|uberweisen|ueberweisen|begleiche|begleichen)\s+(?:ich|wir)\b|\b(?:zahle|zahlen|uberweise|ueberweise|uberweisen|ueberweisen|begleiche|begleichen)\b~{0,20}?\b(?:bis|am|morgen|heute|nachste[nrs]?|naechste[nrs]?|diese[nrs]?|ende|anfang|spatestens|spaetestens)\b|\b(?:zahlung|uberweisung|ueberweisung)\s+(?:erfolgt|folgt|geht)\b`,
      weight: 0.8,
      negatable: true,
      statement: true,
    },
    // Spanish
    {
      pattern: rx`\b(?:voy\s+a|vamos\s+a|van\s+a|pienso|pensamos|podre|podremos)\s+(?:\w+\s+)?(?:pagar|abonar|transferir|hacer\s+(?:el|la)\s+(?:pago|transferencia)|realizar\s+(?:el|la)\s+(?:pago|transferencia)|liquidar|saldar)\b|\b(?:pagare|pagaremos|abonare|abonaremos|transferire|transferiremos|realizaremos|realizare|liquidaremos|efectuaremos|hare\s+(?:el|la)\s+(?:pago|transferencia)|haremos\s+(?:el|la)\s+(?:pago|transferencia))\b`,
      weight: 0.85,
      negatable: true,
      statement: true,
    },
    {
      pattern: rx`\b(?:hago|hacemos|mando|mandamos|envio|enviamos)\s+(?:el|la)\s+(?:pago|transferencia)\b|\b(?:el\s+pago|la\s+transferencia)\s+se\s+(?:hara|realizara|efectuara|enviara)\b|\b(?:sera|seran)\s+(?:pagad|abonad)`,
      weight: 0.8,
      negatable: true,
      statement: true,
    },
    // Dutch
    {
      pattern: rx`\b(?:zal|zullen|ga|gaan|gaat)\b~{0,40}?\b(?:betalen|overmaken|voldoen|overboeken|storten)\b|\b(?:wordt|worden)\b~{0,40}?\b(?:betaald|overgemaakt|voldaan)\b|\b(?:ik|we|wij)\s+(?:maak|maken|betaal|betalen)\b~{0,30}?\b(?:over|morgen|vandaag|maandag|dinsdag|woensdag|donderdag|vrijdag|volgende|voor|uiterlijk|eind|begin)\b`,
      weight: 0.85,
      negatable: true,
      statement: true,
    },
  ],
};

/** Words that make what follows them in the same clause untrue ("not", "nicht", "pas", "niet", "no"). */
export const negation =
  /(?:\bnot\b|n't\b|\bnever\b|\bno\b|\bnicht\b|\bnie\b|\bniemals\b|\bkein\w*|\bpas\b|\bjamais\b|\bnunca\b|\btodavia no\b|\bne\b|\bn'|\bniet\b|\bnooit\b|\bgeen\b|\byet to\b|\bunable\b)/;

/** An out-of-office subject: an auto-reply names itself there in every mail program. */
export const autoReplySubject =
  /^\s*[[(]?\s*(?:\[?auto(?:matic|matische|matisch|mated)?[- ]?(?:reply|response|antwort|antwoord)|autoreply|auto:|out\s+of\s+(?:the\s+)?office|ooo\b|away\b|abwesen\w*|absence|absent\b|reponse\s+automatique|message\s+automatique|respuesta\s+automatica|fuera\s+de\s+(?:la\s+)?oficina|afwezig\w*|niet\s+aanwezig|ausente|vacances|urlaub|vacaciones|vakantie|on\s+leave|holiday)/;

/** A person saying they are away (first person: "I am out of the office"). */
export const absence = rx`\b(?:(?:i\s+am|i'm|im|i\s+will\s+be|i'll\s+be|am)\s+(?:currently\s+|now\s+|presently\s+)?(?:out\s+of\s+(?:the\s+)?office|away|on\s+(?:annual\s+|parental\s+|maternity\s+|paternity\s+|sick\s+|study\s+)?leave|on\s+(?:holiday|vacation)|travel+ing|off\s+(?:work|sick|until)|off\b(?=\s+until|\s+till|\s+today)|out\s+(?:today|until))|je\s+suis\s+(?:actuellement\s+)?(?:absente?|en\s+conges?|en\s+vacances|en\s+deplacement|hors\s+du\s+bureau|en\s+arret)|(?:ich\s+bin|bin\s+ich|ich\s+befinde\s+mich|befinde\s+mich)\b~{0,40}?\b(?:nicht\s+im\s+buro|nicht\s+im\s+buero|abwesend|im\s+urlaub|ausser\s+haus|nicht\s+erreichbar|krank|unterwegs)|(?:estoy|estare|me\s+encuentro)\s+(?:\w+\s+)?(?:fuera\s+de\s+la\s+oficina|de\s+vacaciones|ausente|fuera|de\s+viaje|de\s+baja)|(?:ik\s+ben|ben\s+ik)\b~{0,40}?\b(?:afwezig|niet\s+op\s+kantoor|niet\s+aanwezig|met\s+vakantie|op\s+vakantie|vrij|ziek))`;

/** Someone else away ("Raj is out of the office until …"): a notice needs more than this. */
export const absenceOfOthers = rx`\b(?:is|are)\s+(?:currently\s+)?(?:out\s+of\s+(?:the\s+)?office|away|on\s+(?:annual\s+|parental\s+|maternity\s+|sick\s+)?leave|on\s+holiday|on\s+vacation)\b`;

/** The wording of an absence notice, as nobody writes it by hand. */
export const absenceNotice = rx`\b(?:automatic\s+(?:reply|response)|automated\s+(?:reply|response|message)|auto-?generated|(?:limited|no|intermittent)\s+access\s+to\s+(?:my\s+)?(?:e-?mails?|messages)|(?:on|upon|after)\s+(?:my|his|her|our)\s+return|when\s+i\s+(?:am\s+back|return)|(?:message|e-?mail|mailbox)\s+(?:has\s+not\s+been|will\s+not\s+be|is\s+not\s+being|is\s+not)\s+(?:forwarded|monitored|read)|not\s+be\s+checking|won't\s+be\s+checking|for\s+(?:anything\s+)?urgent|in\s+(?:my|his|her)\s+absence|during\s+my\s+absence|office\s+is\s+closed|(?:will\s+)?(?:be\s+back|return|returning|reopen)(?:\s+(?:in|to)\s+the\s+office)?\s+on\b|back\s+(?:in\s+the\s+office|tomorrow|on\b)|de\s+retour\s+le|serai\s+de\s+retour|sera\s+de\s+retour|(?:a|des)\s+mon\s+retour|acces\s+limite|reponse\s+automatique|message\s+automatique|ne\s+sera\s+pas\s+transfere|pour\s+toute\s+urgence|est\s+ferme|wieder\s+(?:im\s+buro|im\s+buero|erreichbar|da|fur\s+sie\s+da|zuruck|im\s+hause)|nach\s+meiner\s+(?:ruckkehr|rueckkehr)|wird\s+nicht\s+weitergeleitet|in\s+dringenden\s+fallen|automatische\s+antwort|a\s+mi\s+regreso|volvere|regresare|estare\s+de\s+vuelta|acceso\s+limitado|respuesta\s+automatica|para\s+asuntos\s+urgentes|no\s+sera\s+reenviado|weer\s+(?:op\s+kantoor|aanwezig|bereikbaar|terug)|na\s+(?:mijn\s+)?terugkomst|wordt\s+niet\s+doorgestuurd|voor\s+dringende\s+zaken|automatisch\s+antwoord|beperkt\s+toegang)`;

/** Someone has left: an auto-reply that is not an absence, for a person to update the contact. */
export const leftTheCompany = rx`\b(?:no\s+longer\s+(?:works?|working|employed|with)|has\s+left\s+(?:the\s+company|the\s+business|us|\w+\s+(?:ltd|limited|inc|gmbh|bv))|nicht\s+mehr\s+(?:im\s+unternehmen|bei\s+uns|fur\s+uns|fuer\s+uns)|ne\s+fait\s+plus\s+partie|ya\s+no\s+trabaja|niet\s+meer\s+(?:werkzaam|in\s+dienst))`;

/** A bounce: the reminder never reached anyone. */
export const bounceSubject =
  /^\s*(?:undeliverable|undelivered|delivery\s+(?:status\s+notification|has\s+failed|failure)|mail\s+delivery\s+(?:failed|failure|subsystem)|returned\s+mail|failure\s+notice|unzustellbar|non\s+remis|no\s+se\s+puede\s+entregar|onbestelbaar)/;

/** When "stop" or "unsubscribe" is the whole message. */
export const bareUnsubscribe =
  /^\s*(?:stop|unsubscribe|remove|desabonner|abmelden|baja|afmelden)\s*[.!]*\s*$/;

/** Reply and forward prefixes ("Re:", "AW:", "RV:") on a subject. */
export const replyPrefix = /^\s*(?:(?:re|aw|wg|fw|fwd|tr|rv|sv|antw|r|rif|enc)\s*(?:\[\d+\])?\s*:\s*)+/;
