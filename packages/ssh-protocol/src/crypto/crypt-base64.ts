// The base-64 of crypt(3) hashes: alphabet "./0-9A-Za-z", groups of up to three bytes read little-endian and
// written six bits at a time, low bits first (the encoding of SHA-crypt and yescrypt alike).

export const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 6-bit value of one character, or undefined outside the alphabet. */
export function cryptCharValue(c: string): number | undefined {
  const v = CRYPT_ALPHABET.indexOf(c);
  return v < 0 || c.length !== 1 ? undefined : v;
}

/** `chars` characters for the low bits of `value`, low six bits first. */
export function encodeCryptBits(value: number, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    out += CRYPT_ALPHABET[value & 0x3f];
    value >>>= 6;
  }
  return out;
}

/** Bytes in groups of three, each group as one little-endian number (a short last group uses fewer chars). */
export function encodeCryptBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = Math.min(3, bytes.length - i);
    let value = 0;
    for (let k = 0; k < n; k++) value |= bytes[i + k] << (8 * k);
    out += encodeCryptBits(value, Math.ceil((n * 8) / 6));
  }
  return out;
}

/**
 * The inverse of encodeCryptBase64; undefined for a character outside the alphabet, a group too short to hold
 * a byte, or bits left over that are not zero (so that every byte string has exactly one encoding).
 */
export function decodeCryptBase64(text: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    const group = text.slice(i, i + 4);
    if (group.length < 2) return undefined;
    let value = 0;
    for (let k = 0; k < group.length; k++) {
      const v = cryptCharValue(group[k]);
      if (v === undefined) return undefined;
      value += v * 2 ** (6 * k);
    }
    const bytes = Math.floor((group.length * 6) / 8);
    for (let k = 0; k < bytes; k++) out.push(Math.floor(value / 2 ** (8 * k)) & 0xff);
    if (Math.floor(value / 2 ** (8 * bytes)) !== 0) return undefined;
  }
  return Uint8Array.from(out);
}
