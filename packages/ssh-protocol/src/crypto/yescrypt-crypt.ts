// The crypt(3) strings of yescrypt ("$y$flavour N r [params]$salt$hash") and of scrypt ("$7$"), as libxcrypt
// writes them (yescrypt-common.c's encoding: variable-length 6-bit numbers, then the crypt base-64).
import { cryptCharValue, decodeCryptBase64, encodeCryptBase64 } from './crypt-base64.js';
import { YESCRYPT_RW, yescryptKdf, type YescryptParams } from './yescrypt.js';

export interface YescryptSetting {
  /** Everything before the salt, "$" included: copied as is into the result. */
  prefix: string;
  salt: Uint8Array;
  /** The salt as written (the result repeats it verbatim). */
  saltText: string;
  params: YescryptParams;
}

/** A variable-length number (yescrypt's decode64_uint32): the first character says how many follow. */
function readNumber(text: string, pos: number, min: number): { value: number; next: number } | undefined {
  let c = cryptCharValue(text[pos] ?? '');
  if (c === undefined) return undefined;
  let start = 0;
  let end = 47;
  let chars = 1;
  let bits = 0;
  let value = min;
  while (c > end) {
    value += (end + 1 - start) * 2 ** bits;
    start = end + 1;
    end = start + Math.floor((62 - end) / 2);
    chars++;
    bits += 6;
  }
  value += (c - start) * 2 ** bits;
  let next = pos + 1;
  while (--chars > 0) {
    c = cryptCharValue(text[next++] ?? '');
    if (c === undefined) return undefined;
    bits -= 6;
    value += c * 2 ** bits;
  }
  return value > 0xffffffff ? undefined : { value, next };
}

/** A fixed-width number of `chars` characters, low bits first ($7$'s r and p). */
function readFixed(text: string, pos: number, chars: number): number | undefined {
  let value = 0;
  for (let i = 0; i < chars; i++) {
    const c = cryptCharValue(text[pos + i] ?? '');
    if (c === undefined) return undefined;
    value += c * 2 ** (6 * i);
  }
  return value;
}

function log2Count(v: number): number | undefined {
  return v >= 1 && v <= 30 ? 2 ** v : undefined;
}

function parseY(hash: string, saltText: string): YescryptSetting | undefined {
  const flavour = readNumber(hash, 3, 0);
  if (!flavour) return undefined;
  let flags: number;
  if (flavour.value < YESCRYPT_RW) flags = flavour.value;
  else if (flavour.value <= YESCRYPT_RW + (0x3fc >> 2)) flags = YESCRYPT_RW + ((flavour.value - YESCRYPT_RW) << 2);
  else return undefined;
  const nLog2 = readNumber(hash, flavour.next, 1);
  const N = nLog2 && log2Count(nLog2.value);
  const r = nLog2 && N ? readNumber(hash, nLog2.next, 1) : undefined;
  if (!N || !r) return undefined;
  const params: YescryptParams = { flags, N, r: r.value, p: 1, t: 0 };
  let pos = r.next;
  if (hash[pos] !== '$') {
    const have = readNumber(hash, pos, 1);
    if (!have) return undefined;
    pos = have.next;
    if (have.value & 1) {
      const p = readNumber(hash, pos, 2);
      if (!p) return undefined;
      params.p = p.value;
      pos = p.next;
    }
    if (have.value & 2) {
      const t = readNumber(hash, pos, 1);
      if (!t) return undefined;
      params.t = t.value;
      pos = t.next;
    }
    // g (hash upgrades) and NROM (a shared ROM) are not computable without what made them.
    if (have.value & ~3) return undefined;
  }
  if (hash[pos] !== '$') return undefined;
  const prefix = hash.slice(0, pos + 1);
  if (hash.slice(pos + 1, pos + 1 + saltText.length) !== saltText) return undefined;
  const salt = decodeCryptBase64(saltText);
  if (!salt || salt.length > 64) return undefined;
  return { prefix, salt, saltText, params };
}

function parse7(hash: string, saltText: string): YescryptSetting | undefined {
  const nLog2 = cryptCharValue(hash[3] ?? '');
  const N = nLog2 === undefined ? undefined : log2Count(nLog2);
  const r = readFixed(hash, 4, 5);
  const p = readFixed(hash, 9, 5);
  if (!N || !r || !p) return undefined;
  const prefix = hash.slice(0, 14);
  if (!saltText.startsWith(prefix)) return undefined;
  const raw = saltText.slice(prefix.length);
  return { prefix, salt: new TextEncoder().encode(raw), saltText: raw, params: { flags: 0, N, r, p, t: 0 } };
}

/** Parses a "$y$" or "$7$" hash (or setting: then the salt runs to the end). */
export function parseYescryptSetting(hash: string): YescryptSetting | undefined {
  if (!hash.startsWith('$y$') && !hash.startsWith('$7$')) return undefined;
  const last = hash.lastIndexOf('$');
  if (last < 3) return undefined;
  // The salt is what lies between the parameters and the last "$".
  if (hash.startsWith('$7$')) return parse7(hash, hash.slice(0, last));
  const afterParams = hash.indexOf('$', 3);
  if (afterParams < 0) return undefined;
  const saltText = last > afterParams ? hash.slice(afterParams + 1, last) : hash.slice(afterParams + 1);
  return parseY(hash, saltText);
}

/** The full crypt string of `password` under `setting`. */
export function yescryptCrypt(password: Uint8Array, setting: YescryptSetting): string {
  const dk = yescryptKdf(password, setting.salt, setting.params, 32);
  return `${setting.prefix}${setting.saltText}$${encodeCryptBase64(dk)}`;
}

