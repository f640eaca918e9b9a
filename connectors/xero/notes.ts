/** Xero limits each History record's Details to 250 characters. */
export const historyDetailsLimit = 250;

/**
 * Splits a note into History records of at most 250 characters, at word boundaries where it can,
 * numbering the parts ("(1/3) …") so the ledger reads them in order.
 */
export function splitNote(text: string, limit = historyDetailsLimit): string[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= limit) return [clean];
  const prefixRoom = 8; // "(10/12) "
  const room = limit - prefixRoom;
  const parts: string[] = [];
  let rest = clean;
  while (rest.length > 0) {
    if (rest.length <= room) {
      parts.push(rest);
      break;
    }
    const cut = rest.lastIndexOf(' ', room);
    const end = cut > room / 2 ? cut : room;
    parts.push(rest.slice(0, end).trim());
    rest = rest.slice(end).trim();
  }
  return parts.map((part, index) => `(${index + 1}/${parts.length}) ${part}`);
}
