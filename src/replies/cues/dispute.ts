import { type Cue, rx } from './cue.js';

/** A reply saying it paid twice asks for its money back: "duplicate" and "refund" are not a dispute there. */
const paidTwice =
  /\b(?:paid|pay|payed)\b[^.!?\n]{0,30}?\btwice\b|\b(?:double|duplicate)\s+payment|\boverpa(?:id|yment)|\bpaid\s+(?:it\s+|this\s+)?again\b/;

/** Saying the invoice is wrong, not owed, or will not be paid as it stands. */
export const disputeCues: Cue[] = [
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
    // A payment page that fails, or a payment made twice by mistake, is not the invoice being wrong.
    unless:
      /\b(?:portal|website|site|link|page|login|log\s+in|app|card|system|technical|browser|by\s+mistake)\b/,
    unlessAfter:
      /^[^.!?\n]{0,40}?\b(?:when\s+i\s+try|trying\s+to\s+pay|on\s+(?:the|your)\s+(?:portal|website|site|page|link))/,
  },
  // Never received, ordered, done or agreed
  {
    pattern: rx`(?<!\byou\s|\byou've\s|\byou\shave\s)\b(?:never|not|didn't|did\s+not|haven't|have\s+not|hasn't|has\s+not|wasn't|was\s+not|weren't|were\s+not)\s+(?:\w+\s+)?(?:received|ordered|delivered|arrived|supplied|fitted|installed|completed|complete|finished|done|attended|turned\s+up|showed\s+up|turn\s+up|show\s+up|agreed|signed|requested|authori[sz]ed|came\s+back|order(?:ed)?|receive|get|got)\b(?!\s+(?:\w+\s+)?(?:payment|money|funds|salary|wages|paid|your\s+bank|bank\s+details))`,
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
    unlessReply: paidTwice,
  },
  { pattern: rx`\b(?:credit\s+note|refund)\b`, weight: 0.75, unlessReply: paidTwice },
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
    pattern: rx`\b(?:should|was\s+supposed\s+to|meant\s+to|was\s+meant\s+to)\s+(?:be|have\s+been)\s+(?:a\s+|an\s+)?(?:covered|free|included|under\s+(?:the\s+)?warranty|credited|cancel+ed)|\b(?:shouldn't|should\s+not)\s+be\s+(?:a\s+)?charged?\b`,
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
  // Not theirs: never ordered from or worked with
  {
    pattern: rx`\b(?:isn't|is\s+not|not|aren't|are\s+not)\s+(?:ours|mine)\b|\bnever\s+(?:used|heard\s+of|dealt\s+with|worked\s+with|ordered\s+from|done\s+business\s+with)\s+(?:you|your|this|them)\b|\b(?:no|any)\s+record\s+of\s+(?:ordering|an?\s+order|any\s+order|this\s+(?:order|job|work)|booking|having\s+ordered)|\b(?:don't|do\s+not)\s+recogni[sz]e\s+(?:this|the|these|your)\s+(?:invoice|charge|bill|order|amount)`,
    weight: 0.85,
  },
  // Charged for more than was done, or other than quoted
  {
    pattern: rx`\b(?:charged|billed|invoiced)\s+(?:us\s+|me\s+)?for\b~{0,60}?\bbut\b~{0,50}?\bonly\b|\bonly\s+(?:on\s+site|here|there|with\s+us|worked)\s+(?:for\s+)?(?:\d|an?\s|one|two|three|half)`,
    weight: 0.8,
  },
  {
    pattern: rx`\b(?:quote|quoted|estimate|agreed\s+price|price\s+we\s+agreed)\b~{0,30}?(?:£|\$|€)\s?\d~{0,60}?\b(?:invoice|bill|you've\s+charged|you\s+charged|you\s+billed|you've\s+billed)\b|\b(?:invoice|bill)\s+(?:says|shows|is\s+for)\s+(?:£|\$|€)\s?\d~{0,60}?\b(?:quote|quoted|agreed)\b`,
    weight: 0.8,
  },
  {
    pattern: rx`\b(?:we|i)\s+(?:supplied|provided|bought|paid\s+for)\s+(?:\w+\s+){0,2}?(?:ourselves|myself)\b|\b(?:withhold\w*|holding\s+back|hold\s+back)\s+(?:the\s+)?(?:payment|money|balance|retention)|\bcan't\s+pay\s+(?:this\s+|it\s+)?until\s+(?:the\s+)?(?:dispute|query|issue|problem|complaint)`,
    weight: 0.85,
  },
  {
    pattern: rx`\b(?:please\s+)?(?:re-?issue|amend|revise|cancel|credit)\s+(?:the\s+|this\s+|your\s+)?(?:invoice|it|bill)\b`,
    weight: 0.45,
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
  {
    pattern: rx`\bne\s+(?:correspond(?:ent)?|concorde)\s+pas\b|\bpas\s+(?:ete\s+)?(?:termine|fini|acheve)e?s?\b`,
    weight: 0.8,
  },
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
    pattern: rx`\b(?:factura|importe|monto|precio|cargo)\b~{0,30}?\b(?:incorrect[ao]s?|equivocad[ao]s?|erroneo|erronea|mal)\b|\bno\s+corresponde\b|\b(?:factura|importe|cargo|cobro)\s+no\s+(?:es|esta)\s+(?:correct[ao]|bien|bien\s+hech[ao])\b|\bno\s+se\s+(?:termino|acabo|completo|hizo)\b`,
    weight: 0.9,
  },
  {
    pattern: rx`\b(?:nunca|no)\s+(?:\w+\s+)?(?:recibimos|recibi|hemos\s+recibido|he\s+recibido|pedimos|encargamos|solicitamos|llego|llegaron)\b`,
    weight: 0.8,
  },
  { pattern: rx`\b(?:cobrad[ao]s?\b~{0,30}?\b(?:dos\s+veces|doble)|duplicad[ao]s?)\b`, weight: 0.9 },
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
];
