/**
 * How many SMS segments a text takes (3GPP TS 23.038). A text whose every character is in the GSM 7-bit
 * default alphabet or its extension table is sent as GSM-7: 160 septets in one segment, 153 a segment
 * once split (the rest is the concatenation header); an extension character (^ { } \ [ ~ ] | €) takes
 * two septets, and a segment never ends between its two. Any other character makes the whole text
 * UCS-2: 70 characters, 67 a segment once split, a character beyond U+FFFF taking two.
 */

const gsmBasic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const gsmExtended = '^{}\\[~]|€\f';
const basic = new Set(gsmBasic);
const extended = new Set(gsmExtended);

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** The characters that made the text UCS-2 (none for GSM-7). */
  nonGsm: string[];
}

export function isGsm7(text: string): boolean {
  for (const char of text) if (!basic.has(char) && !extended.has(char)) return false;
  return true;
}

export function countSegments(text: string): SegmentCount {
  const nonGsm = [...new Set([...text].filter((char) => !basic.has(char) && !extended.has(char)))];
  if (nonGsm.length === 0) {
    const septets = [...text].map((char) => (extended.has(char) ? 2 : 1));
    const units = septets.reduce((sum, size) => sum + size, 0);
    if (units <= 160) return { encoding: 'GSM-7', units, segments: units === 0 ? 0 : 1, nonGsm };
    // Fill 153-septet segments without splitting an escape pair.
    let segments = 1;
    let used = 0;
    for (const size of septets) {
      if (used + size > 153) {
        segments += 1;
        used = 0;
      }
      used += size;
    }
    return { encoding: 'GSM-7', units, segments, nonGsm };
  }
  const units = text.length;
  if (units <= 70) return { encoding: 'UCS-2', units, segments: 1, nonGsm };
  // Fill 67-unit segments without splitting a surrogate pair.
  let segments = 1;
  let used = 0;
  for (const char of text) {
    if (used + char.length > 67) {
      segments += 1;
      used = 0;
    }
    used += char.length;
  }
  return { encoding: 'UCS-2', units, segments, nonGsm };
}
