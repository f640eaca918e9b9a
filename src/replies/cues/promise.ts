import { type Cue, rx } from './cue.js';

/**
 * A condition the creditor must meet first ("I'll pay if you can show me the delivery note"): not a
 * promise. "if that's OK" is politeness, not a condition.
 */
const onTheirCondition =
  /^[^.!?\n]{0,50}?\b(?:only\s+if|if\b(?!\s+(?:that|this|it)(?:'s|\s+is|\s+works|\s+suits))|provided|providing|assuming|once\s+you|when\s+you|as\s+soon\s+as\s+you|after\s+you|unless)\b/;

/** Saying when it will be paid. */
export const promiseCues: Cue[] = [
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
    pattern: rx`\b(?:will|'ll|shall|going\s+to|gonna|intend\s+to|plan(?:ning)?\s+to|aim\s+to|expect\s+to|hope\s+to|hoping\s+to|(?:i|we)\s+can|(?:i|we)\s+could|^can|^could)\s+(?:\w+\s+){0,2}?(?:pay|settle|transfer|wire|remit|paying|settling|clear\s+(?:it|this|the)|sort\s+(?:it|this)|process\s+(?:it|this|the\s+payment)|make\s+(?:the\s+)?payment|making\s+(?:the\s+|a\s+)?payment|sending\s+(?:the\s+|you\s+)?(?:payment|money|funds|transfer)|send\s+(?:the\s+|you\s+)?(?:payment|money|funds|transfer|cheque|check)|get\s+(?:it|this|that|the\s+\w+)\s+(?:paid|sorted|settled|sent|done))\b`,
    weight: 0.85,
    negatable: true,
    statement: true,
    unlessAfter: onTheirCondition,
  },
  {
    pattern: rx`\b(?:will|'ll|shall|should|is\s+going\s+to|are\s+going\s+to)\s+(?:\w+\s+)?be\s+(?:\w+\s+)?(?:paid|settled|processed|transferred|sent|cleared|released|made|remitted|actioned|included\s+in\s+(?:the|our|this|next)|done\s+(?:on|by|before|tomorrow|today|this|next))\b|\bwill\s+(?:go\s+out|be\s+with\s+you|reach\s+you|leave\s+our\s+account|hit\s+your\s+account)\b`,
    weight: 0.85,
    negatable: true,
    statement: true,
  },
  {
    pattern: rx`\b(?:payment\s+run|payment\s+cycle|pay\s+run|supplier\s+run|\w+'s\s+run|scheduled\s+(?:for|on)|is\s+scheduled|raised\s+(?:it\s+)?for\s+payment)\b`,
    weight: 0.8,
    // Asked of a colleague, or a run that already went: not a promise.
    unless: /\b(?:if|whether|can you|could you|please|last|went|was|were|previous)\b/,
  },
  {
    pattern: rx`\b(?:you'll|you\s+will|you\s+should)\s+(?:have|get|receive|see)\s+(?:the\s+|your\s+|our\s+|a\s+|full\s+)?(?:money|payment|funds|transfer|cheque|check|balance)\b`,
    weight: 0.8,
    negatable: true,
    statement: true,
  },
  {
    pattern: rx`\b(?:pay|paying|settle|settling|transfer|transferring)\s+(?:it\s+|this\s+|that\s+|them\s+|the\s+(?:\w+\s+){1,2}?)?(?:by|on|before|next|this|tomorrow|today|at\s+the\s+end|end\s+of|first\s+thing|within|monday|tuesday|wednesday|thursday|friday)\b`,
    weight: 0.75,
    negatable: true,
    statement: true,
    unless: /\b(?:can you|could you|if|how|when can|please)\b/,
    unlessAfter: onTheirCondition,
  },
  {
    pattern: rx`\b(?:will|'ll)\s+do\s+(?:it|this|that|the\s+(?:payment|transfer))\b`,
    weight: 0.6,
    negatable: true,
  },
  // French
  {
    pattern: rx`\b(?:je|nous|on)\s+(?:vous\s+)?(?:vais|allons|va|pourrai|pourrons|compte|comptons|prevois|prevoyons)\s+(?:vous\s+)?(?:payer|regler|faire\s+(?:le|un)\s+(?:virement|paiement|reglement)|virer|effectuer|proceder)\b|\b(?:paierai|paierons|payerai|payerons|reglerai|reglerons|virerai|virerons|ferai\s+le\s+virement|ferons\s+le\s+virement|effectuerons|effectuerai|procederons|procederai|verserons|verserai|enverrons|enverrai)\b`,
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
  {
    pattern: rx`\b(?:je|nous|on)\s+(?:vous\s+)?(?:regle|reglons|paie|paye|payons|vire|virons|verse|versons)\b~{0,40}?\b(?:demain|lundi|mardi|mercredi|jeudi|vendredi|samedi|prochaine?|fin\s+(?:du|de)\s+mois|d'ici|avant|le\s+\d|cette\s+semaine|aujourd'hui|ce\s+soir|des\s+que)`,
    weight: 0.8,
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
  {
    pattern: rx`\b(?:(?:se\s+|te\s+|os\s+)?(?:lo|la)\s+)?(?:pago|pagamos|abono|abonamos|transfiero|transferimos|ingreso|ingresamos)\b~{0,40}?\b(?:manana|lunes|martes|miercoles|jueves|viernes|que\s+viene|proxim[ao]|esta\s+semana|fin\s+de\s+mes|antes\s+del?)\b|\b(?:manana|lunes|martes|miercoles|jueves|viernes|que\s+viene|proxim[ao]|esta\s+semana|fin\s+de\s+mes)\b~{0,30}?\b(?:se\s+lo\s+|se\s+la\s+|le\s+)?(?:pago|pagamos|abono|abonamos|transfiero|transferimos)\b`,
    weight: 0.8,
    negatable: true,
    statement: true,
    unless: /\b(?:ayer|pasad[ao]|hace|ya)\b/,
  },
  // Dutch
  {
    pattern: rx`\b(?:zal|zullen|ga|gaan|gaat)\b~{0,40}?\b(?:betalen|overmaken|voldoen|overboeken|storten)\b|\b(?:wordt|worden)\b~{0,40}?\b(?:betaald|overgemaakt|voldaan)\b|\b(?:ik|we|wij)\s+(?:maak|maken|betaal|betalen)\b~{0,30}?\b(?:over|morgen|vandaag|maandag|dinsdag|woensdag|donderdag|vrijdag|volgende|voor|uiterlijk|eind|begin)\b`,
    weight: 0.85,
    negatable: true,
    statement: true,
  },
];
