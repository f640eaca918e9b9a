/**
 * A debtor's postal address as the mirror keeps it, and as a letter prints it. Ledgers hold addresses
 * as free text typed by people: parts go missing, lines are blank or hold only a comma, one field
 * holds several lines, and a line can be very long. `postalAddressOf` reads whatever comes into
 * this one tidy shape, or null when nothing usable is there.
 */
export interface PostalAddress {
  /** The street lines, in order, none blank. */
  lines: string[];
  city: string | null;
  /** State, province, county or region. */
  region: string | null;
  postalCode: string | null;
  /** The country as the books write it ("USA", "New Zealand"). */
  country: string | null;
  /** ISO 3166-1 alpha-2 of `country`, when it is one Dunwell recognises. */
  countryCode: string | null;
}

export interface AddressParts {
  lines: unknown[];
  city?: unknown;
  region?: unknown;
  postalCode?: unknown;
  country?: unknown;
  countryCode?: string | null;
}

/** The longest each part is kept (the vendors' own limits), and how many street lines at most. */
const longest = { line: 500, city: 255, region: 255, postalCode: 50, country: 100 };
const mostLines = 8;

/** A part as one line of text: control characters go, and each run of white space becomes one space. */
function tidy(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = value
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // Something to read: a letter or a digit, not a lone comma or dash.
  if (!/[\p{L}\p{N}]/u.test(text)) return null;
  const characters = Array.from(text);
  return characters.length > max ? characters.slice(0, max).join('').trimEnd() : text;
}

/** The address in `parts`, tidied; null when it holds nothing usable. */
export function postalAddressOf(parts: AddressParts): PostalAddress | null {
  const lines = parts.lines
    .flatMap((line) => (typeof line === 'string' ? line.split(/\r\n|\r|\n/) : []))
    .flatMap((line) => tidy(line, longest.line) ?? [])
    .slice(0, mostLines);
  const address: PostalAddress = {
    lines,
    city: tidy(parts.city, longest.city),
    region: tidy(parts.region, longest.region),
    postalCode: tidy(parts.postalCode, longest.postalCode),
    country: tidy(parts.country, longest.country),
    countryCode: null,
  };
  if (address.country && parts.countryCode && /^[A-Z]{2}$/.test(parts.countryCode))
    address.countryCode = parts.countryCode;
  const empty = lines.length === 0 && !address.city && !address.region && !address.postalCode;
  // A country alone is not an address a letter can be sent to.
  return empty ? null : address;
}

/** Where the postal code goes: its own last line, before the town, or after town and region. */
const postcodeOwnLine = new Set(['GB', 'IE', 'IM', 'JE', 'GG']);
const postcodeFirst = new Set(
  'AT BE CH CZ DE DK EE ES FI FR GR HR HU IS IT LI LT LU LV MC NL NO PL PT RO SE SI SK'.split(' '),
);
const cityComma = new Set(['US', 'CA']);

function localityLines(address: PostalAddress, style: string | null): string[] {
  const { city, region, postalCode } = address;
  const words = (...parts: Array<string | null>) => parts.filter(Boolean).join(' ');
  if (style && postcodeOwnLine.has(style)) return [city, region, postalCode].flatMap((part) => part ?? []);
  if (style && postcodeFirst.has(style))
    return [words(postalCode, city), region ?? ''].filter((line) => line !== '');
  const place = style && cityComma.has(style) && city && (region || postalCode) ? `${city},` : city;
  const line = words(place, region, postalCode);
  return line ? [line] : [];
}

const sameText = (a: string, b: string) =>
  a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

/** The English name of a country code, as the last line of an address abroad is written. */
function countryName(address: PostalAddress): string {
  if (address.countryCode) {
    try {
      const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(address.countryCode);
      if (name && name !== address.countryCode) return name.toUpperCase();
    } catch {
      // An unusual code: the text the books hold is printed instead.
    }
  }
  return (address.country ?? '').toUpperCase();
}

/**
 * The address as the lines under the addressee's name on a letter for a window envelope: the street
 * lines, the town, region and postal code the way the address's country writes them, and the country
 * on the last line (in capitals) when it is not the sender's own. With no sender's country known, a
 * country the address names is always printed. A first line that only repeats `name` is left out.
 */
export function envelopeLines(
  address: PostalAddress | null,
  options: { homeCountry: string | null; name?: string },
): string[] {
  if (!address) return [];
  const lines = [...address.lines];
  if (options.name && lines[0] && sameText(lines[0], options.name)) lines.shift();
  lines.push(...localityLines(address, address.countryCode ?? options.homeCountry));
  const abroad =
    address.country !== null &&
    (options.homeCountry === null ||
      address.countryCode === null ||
      address.countryCode !== options.homeCountry);
  if (abroad) lines.push(countryName(address));
  return lines;
}
