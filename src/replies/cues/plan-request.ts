import { type Cue, rx } from './cue.js';

/** Asking to pay in parts or over time. */
export const planRequestCues: Cue[] = [
  {
    pattern: rx`\b(?:half\s+now|part\s+now|some\s+now|(?:\d+|a\s+bit)\s+now\s+and\b|(?:pay(?:ing)?\s+)?in\s+stages|staged\s+payments?|stage\s+payments|every\s+(?:two|other|couple\s+of)\s+weeks|fortnightly|bi-?weekly|(?:every|each)\s+month|of\s+(?:every|each)\s+month|work\s+(?:something|an\s+arrangement|a\s+deal)\s+out|teilbetrag\w*|in\s+(?:\w+\s+)?(?:tranchen|teilen)|en\s+varios\s+(?:meses|pagos|plazos)|en\s+(?:\d+|dos|tres|cuatro|seis)\s+meses|in\s+(?:twee|drie|vier|vijf|\d+)\s+(?:keer|delen|maanden)|en\s+(?:plusieurs|\d+|deux|trois)\s+(?:mois|paiements))\b`,
    weight: 0.85,
    unless: /\b(?:runs?|cycle|payment run|pay run)\b/,
  },
  {
    pattern: rx`\b(?:payment\s+plan|repayment\s+plan|instal+ments?|instal+ment\s+plan|(?:payment|repayment|instal+ment)\s+arrangement|monthly\s+(?:payments|instal+ments|amounts)|weekly\s+payments|part\s+payments?|partial\s+payments?|in\s+(?:smaller\s+)?(?:chunks|stages|parts|halves|portions)|two\s+halves|spread\s+(?:the\s+)?(?:cost|payments?|it|this|the\s+balance|the\s+amount)|split\s+(?:it|this|the\s+(?:payment|balance|amount|cost|bill|invoice))|pay\s+(?:it\s+|this\s+)?off\s+(?:gradually|slowly|over|bit\s+by\s+bit)|(?:agree|set\s+up|arrange|work\s+out)\s+(?:a\s+|an\s+)?(?:plan|arrangement|schedule)|not\s+all\s+in\s+one\s+go|(?:one|an?)\s+invoice\s+(?:a|per|each)\s+month|part\s+now\s+and\s+the\s+rest|standing\s+order|smaller\s+(?:payments|amounts|chunks|instal+ments)|bit\s+by\s+bit|little\s+by\s+little|(?:break|split)\s+(?:it|this|the\s+\w+)\s+(?:up|down|into)|(?:payment|repayment)\s+schedule|(?:come\s+to|reach)\s+(?:an?\s+|some\s+(?:kind\s+of\s+|sort\s+of\s+)?)?(?:arrangement|agreement)|some\s+(?:kind|sort)\s+of\s+arrangement|(?:all|it)\s+(?:at|in)\s+once|in\s+one\s+go)\b`,
    weight: 0.9,
  },
  {
    pattern: rx`\b(?:\d+\s+|two\s+|three\s+|four\s+|five\s+|six\s+)(?:monthly|weekly)\s+(?:payments|instal+ments)\b|(?:£|\$|€)?\s?\d[\d,.]*\s*(?:£|\$|€|euros?|eur|dollars?|pounds?)?\s*(?:a|per|each|every|/|pro|par|al|por|im)\s*(?:month|week|mois|semaine|monat|woche|mes|semana|maand)\b`,
    weight: 0.85,
  },
  {
    pattern: rx`\bhalf\b~{0,40}?\b(?:the\s+)?(?:rest|remainder|balance|other\s+half)\b|\b(?:pay|clear|settle|pay\s+(?:it|this)\s+off)\s+(?:\w+\s+){0,2}?(?:monthly|weekly|fortnightly)\b|\b(?:every|each)\s+(?:monday|tuesday|wednesday|thursday|friday|week|fortnight|payday)\b|\bover\s+(?:the\s+next\s+)?(?:\d+|two|three|four|five|six|a\s+few|several|some)\s+(?:months|weeks)\b`,
    weight: 0.85,
    unless: /\b(?:runs?|cycle|payment run|pay run)\b/,
  },
  {
    pattern: rx`\b(?:echeancier|plusieurs\s+(?:fois|mensualites|versements)|en\s+(?:\d+|deux|trois|quatre|cinq|six)\s+(?:fois|mensualites|versements)|mensualites|etaler|echelonn\w*|plan\s+de\s+(?:paiement|remboursement)|paiements?\s+partiels?)\b`,
    weight: 0.9,
  },
  {
    pattern: rx`\b(?:ratenzahlung\w*|raten|in\s+(?:\w+\s+)?raten|monatlichen?\s+(?:teilbetragen|betragen|raten)|teilzahlung\w*|ratenplan|ratenvereinbarung|zahlungsplan|abstottern|monatlich\s+\d+|\d+\s*(?:€|euro|eur)?\s*monatlich)\b`,
    weight: 0.9,
  },
  {
    pattern: rx`\b(?:plan\s+de\s+pagos?|a\s+plazos|en\s+(?:\d+|dos|tres|cuatro|seis)\s+(?:cuotas|pagos|plazos)|cuotas|fraccionar|fraccionado|pagos\s+parciales|pago\s+parcial|pagos\s+(?:mensuales|semanales)|mensualidades|poco\s+a\s+poco)\b`,
    weight: 0.9,
  },
  {
    pattern: rx`\b(?:betalingsregeling|afbetalingsregeling|regeling\s+(?:treffen|afspreken|aanvragen)|in\s+termijnen|termijnen|gespreid\s+(?:betalen|betaling)|afbetalen|per\s+maand|maandelijks)\b`,
    weight: 0.9,
  },
];
