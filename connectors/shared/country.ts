/**
 * Ledgers hold a debtor's country as free text: QuickBooks `BillAddr.Country` ("USA", "United States",
 * "Australia", "AU"), Xero `Addresses[].Country` (letters only, up to 50). This reads the common forms
 * (ISO 3166-1 alpha-2, alpha-3 of the usual trading countries, English names and a few everyday
 * aliases) into an alpha-2 code, and anything else into null.
 */

/** Codes the region names know that are not current countries (withdrawn, reserved, groupings). */
const notCountries = new Set([
  'AC',
  'AN',
  'BU',
  'CP',
  'CQ',
  'CS',
  'DD',
  'DG',
  'DY',
  'EA',
  'EU',
  'EZ',
  'FX',
  'HV',
  'IC',
  'NH',
  'QO',
  'RH',
  'SU',
  'TA',
  'TP',
  'UK',
  'UN',
  'VD',
  'XA',
  'XB',
  'YD',
  'YU',
  'ZR',
  'ZZ',
]);

/** Alpha-3 codes of the countries small businesses in QuickBooks and Xero mostly trade with. */
const alpha3: Record<string, string> = {
  USA: 'US',
  CAN: 'CA',
  MEX: 'MX',
  GBR: 'GB',
  IRL: 'IE',
  AUS: 'AU',
  NZL: 'NZ',
  ZAF: 'ZA',
  IND: 'IN',
  SGP: 'SG',
  HKG: 'HK',
  MYS: 'MY',
  PHL: 'PH',
  IDN: 'ID',
  THA: 'TH',
  VNM: 'VN',
  CHN: 'CN',
  JPN: 'JP',
  KOR: 'KR',
  TWN: 'TW',
  ARE: 'AE',
  SAU: 'SA',
  ISR: 'IL',
  DEU: 'DE',
  FRA: 'FR',
  NLD: 'NL',
  BEL: 'BE',
  LUX: 'LU',
  ESP: 'ES',
  PRT: 'PT',
  ITA: 'IT',
  CHE: 'CH',
  AUT: 'AT',
  DNK: 'DK',
  SWE: 'SE',
  NOR: 'NO',
  FIN: 'FI',
  ISL: 'IS',
  POL: 'PL',
  CZE: 'CZ',
  HUN: 'HU',
  GRC: 'GR',
  ROU: 'RO',
  BGR: 'BG',
  HRV: 'HR',
  EST: 'EE',
  LVA: 'LV',
  LTU: 'LT',
  MLT: 'MT',
  CYP: 'CY',
  BRA: 'BR',
  ARG: 'AR',
  CHL: 'CL',
  COL: 'CO',
  PER: 'PE',
  NGA: 'NG',
  KEN: 'KE',
  EGY: 'EG',
  FJI: 'FJ',
  PNG: 'PG',
  WSM: 'WS',
  TON: 'TO',
  PRI: 'PR',
  JAM: 'JM',
  TTO: 'TT',
  BHS: 'BS',
  BRB: 'BB',
  TUR: 'TR',
  UKR: 'UA',
  RUS: 'RU',
  PAK: 'PK',
  BGD: 'BD',
  LKA: 'LK',
  NPL: 'NP',
};

/** Everyday names the region names do not use. */
const aliases: Record<string, string> = {
  'united states of america': 'US',
  america: 'US',
  'u s': 'US',
  'u s a': 'US',
  uk: 'GB',
  'u k': 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'united kingdom of great britain and northern ireland': 'GB',
  'republic of ireland': 'IE',
  eire: 'IE',
  holland: 'NL',
  'the netherlands': 'NL',
  'czech republic': 'CZ',
  'korea republic of': 'KR',
  'republic of korea': 'KR',
  korea: 'KR',
  'russian federation': 'RU',
  'viet nam': 'VN',
  'hong kong': 'HK',
  macau: 'MO',
  macao: 'MO',
  turkey: 'TR',
  'ivory coast': 'CI',
  uae: 'AE',
  swaziland: 'SZ',
  burma: 'MM',
  myanmar: 'MM',
  'east timor': 'TL',
  'cape verde': 'CV',
  'cabo verde': 'CV',
  macedonia: 'MK',
  vatican: 'VA',
  'the bahamas': 'BS',
  'the gambia': 'GM',
  aotearoa: 'NZ',
};

/** Lower case, accents and punctuation gone, "&" read as "and", "St." as "saint". */
function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bst\.?(?=\s)/g, 'saint')
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

let byName: Map<string, string> | null = null;
let codes: Set<string> | null = null;

function tables(): { byName: Map<string, string>; codes: Set<string> } {
  if (byName && codes) return { byName, codes };
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  byName = new Map();
  codes = new Set();
  const shortNames = new Map<string, string | null>();
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const first of letters) {
    for (const second of letters) {
      const code = `${first}${second}`;
      if (notCountries.has(code)) continue;
      let name: string | undefined;
      try {
        name = names.of(code);
      } catch {
        continue;
      }
      if (!name || name === code) continue;
      codes.add(code);
      const plain = normalise(name);
      if (!byName.has(plain)) byName.set(plain, code);
      // "Myanmar (Burma)", "Hong Kong SAR China": the part before the qualifier too, unless two
      // countries share it ("Congo - Kinshasa", "Congo - Brazzaville").
      const short = normalise(name.replace(/\s*(\(.*\)|SAR China|\s-\s.*)$/, ''));
      if (short && short !== plain) shortNames.set(short, shortNames.has(short) ? null : code);
    }
  }
  for (const [short, code] of shortNames) if (code && !byName.has(short)) byName.set(short, code);
  for (const [alias, code] of Object.entries(aliases)) byName.set(normalise(alias), code);
  return { byName, codes };
}

/** The ISO 3166-1 alpha-2 code for a ledger's country text, or null when it is not recognised. */
export function countryCode(text: string | null | undefined): string | null {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '' || trimmed.length > 60) return null;
  const { byName, codes } = tables();
  const upper = trimmed.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper)) {
    if (upper === 'UK') return 'GB';
    return codes.has(upper) ? upper : null;
  }
  if (/^[A-Z]{3}$/.test(upper) && alpha3[upper]) return alpha3[upper];
  return byName.get(normalise(trimmed)) ?? null;
}
