const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;
const keyBytes = 32;

export interface Keyring {
  /** The key new ciphertexts are sealed with. */
  activeId: string;
  /** Every key that may open a ciphertext: the active one and the ones being rotated out. */
  keys: ReadonlyMap<string, Buffer>;
}

export type KeyringParse = { ok: true; keyring: Keyring } | { ok: false; problems: string[] };

/**
 * Parses `id:base64key,id:base64key`: the first entry is the active key, the rest only decrypt.
 * Rotation is: prepend a new key, re-encrypt, then drop the old one.
 */
export function parseKeyring(text: string): KeyringParse {
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) problems.push('needs at least one key as id:base64');
  for (const [position, entry] of entries.entries()) {
    const separator = entry.indexOf(':');
    const id = separator === -1 ? '' : entry.slice(0, separator);
    const material = separator === -1 ? '' : entry.slice(separator + 1);
    if (!keyIdPattern.test(id)) {
      problems.push(`key ${position + 1}: id must be 1-32 letters, digits, _ or - followed by ':'`);
      continue;
    }
    const key = Buffer.from(material, 'base64');
    if (key.length !== keyBytes || key.toString('base64') !== material.replace(/\s/g, '')) {
      problems.push(`key "${id}": must be ${keyBytes} bytes in base64`);
      continue;
    }
    if (keys.has(id)) problems.push(`key "${id}": appears twice`);
    keys.set(id, key);
  }
  const activeId = keys.keys().next().value;
  if (problems.length > 0 || activeId === undefined) return { ok: false, problems };
  return { ok: true, keyring: { activeId, keys } };
}

export function formatKeyEntry(id: string, key: Buffer): string {
  return `${id}:${key.toString('base64')}`;
}
