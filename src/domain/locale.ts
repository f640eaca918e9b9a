/** The language money and dates are written in, from the organisation's country. */
export function localeOf(country: string | null): string {
  return country ? `en-${country}` : 'en-GB';
}
