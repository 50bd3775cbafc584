// SHA-256-crypt ($5$) and SHA-512-crypt ($6$), Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512"
// (the algorithm of glibc and libxcrypt): a salted, iterated SHA-2 whose digest is printed in a fixed byte
// order with the crypt base-64.
import { encodeCryptBits } from './crypt-base64.js';
import { hash } from './hash.js';

export type ShaCryptVariant = 'sha256' | 'sha512';

const PREFIX: Readonly<Record<ShaCryptVariant, string>> = Object.freeze({ sha256: '$5$', sha512: '$6$' });
const DEFAULT_ROUNDS = 5000;
const MIN_ROUNDS = 1000;
const MAX_ROUNDS = 999_999_999;
const MAX_SALT = 16;

// The output order of the digest bytes: each triple is written as one 24-bit number (first byte highest).
const ORDER: Readonly<Record<ShaCryptVariant, readonly (readonly number[])[]>> = Object.freeze({
  sha256: [
    [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14],
    [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29], [31, 30],
  ],
  sha512: [
    [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
    [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
    [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41], [63],
  ],
});

export interface ShaCryptSetting {
  variant: ShaCryptVariant;
  /** undefined: the default 5000, not written in the hash. */
  rounds: number | undefined;
  salt: string;
}

/** Parses `$5$[rounds=N$]salt[$hash]` / `$6$...`; undefined when it is not such a setting. */
export function parseShaCryptSetting(setting: string): ShaCryptSetting | undefined {
  const variant = setting.startsWith('$5$') ? 'sha256' : setting.startsWith('$6$') ? 'sha512' : undefined;
  if (!variant) return undefined;
  let rest = setting.slice(3);
  let rounds: number | undefined;
  const m = /^rounds=(\d+)\$/.exec(rest);
  if (m) {
    // glibc clamps the count into range rather than refusing it.
    rounds = Math.min(MAX_ROUNDS, Math.max(MIN_ROUNDS, Number(m[1])));
    rest = rest.slice(m[0].length);
  }
  const end = rest.indexOf('$');
  const salt = (end < 0 ? rest : rest.slice(0, end)).slice(0, MAX_SALT);
  if (/[$:\n]/.test(salt)) return undefined;
  return { variant, rounds, salt };
}

/** Repeats `block` to exactly `length` bytes. */
function stretch(block: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += block.length) out.set(block.subarray(0, Math.min(block.length, length - i)), i);
  return out;
}

function repeated(data: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(data.length * times);
  for (let i = 0; i < times; i++) out.set(data, i * data.length);
  return out;
}

/** The full hash string for `password` under `setting` (which may itself be a complete hash). */
export function shaCrypt(password: Uint8Array, setting: ShaCryptSetting): string {
  const h = setting.variant;
  const P = password;
  const S = new TextEncoder().encode(setting.salt);
  const rounds = setting.rounds ?? DEFAULT_ROUNDS;
  const B = hash(h, P, S, P);
  const parts: Uint8Array[] = [P, S, stretch(B, P.length)];
  for (let n = P.length; n > 0; n >>>= 1) parts.push(n & 1 ? B : P);
  const A = hash(h, ...parts);
  const pBytes = stretch(hash(h, repeated(P, P.length)), P.length);
  const sBytes = stretch(hash(h, repeated(S, 16 + A[0])), S.length);
  let C = A;
  for (let i = 0; i < rounds; i++) {
    const round: Uint8Array[] = [i & 1 ? pBytes : C];
    if (i % 3 !== 0) round.push(sBytes);
    if (i % 7 !== 0) round.push(pBytes);
    round.push(i & 1 ? C : pBytes);
    C = hash(h, ...round);
  }
  let text = '';
  for (const group of ORDER[h]) {
    let value = 0;
    for (const index of group) value = (value << 8) | C[index];
    text += encodeCryptBits(value, group.length + 1);
  }
  pBytes.fill(0);
  const roundsText = setting.rounds === undefined ? '' : `rounds=${setting.rounds}$`;
  return `${PREFIX[h]}${roundsText}${setting.salt}$${text}`;
}
