// The "randomart" picture ssh-keygen draws under a fingerprint: the "drunken bishop" walk of Loss, Limmer and
// von Gernler ("The drunken bishop: An analysis of the OpenSSH fingerprint visualization algorithm", 2009).
import { fingerprintDigest, keyBits, keyTypeLabel, type FingerprintHash } from './fingerprint.js';
import type { PublicKey } from './types.js';

const WIDTH = 17;
const HEIGHT = 9;
/** Visit counts map to these characters; the last two mark the start (S) and the end (E). */
const SYMBOLS = ' .o+=*BOX@%&#/^SE';

function border(label: string): string {
  const left = Math.floor((WIDTH - label.length) / 2);
  return '+' + '-'.repeat(left) + label + '-'.repeat(WIDTH - left - label.length) + '+';
}

/** The picture for `key` (9 rows of 17 cells inside a frame), without a final newline. */
export function randomArt(key: PublicKey, alg: FingerprintHash = 'sha256'): string {
  const digest = fingerprintDigest(key, alg);
  const top = SYMBOLS.length - 1;
  const field = new Uint8Array(WIDTH * HEIGHT);
  let x = WIDTH >> 1;
  let y = HEIGHT >> 1;
  for (const byte of digest) {
    // Each byte is four moves of two bits, low bits first: bit 0 is left/right, bit 1 up/down.
    for (let b = 0, input = byte; b < 4; b++, input >>= 2) {
      x = Math.min(Math.max(x + (input & 1 ? 1 : -1), 0), WIDTH - 1);
      y = Math.min(Math.max(y + (input & 2 ? 1 : -1), 0), HEIGHT - 1);
      if (field[y * WIDTH + x] < top - 2) field[y * WIDTH + x]++;
    }
  }
  field[(HEIGHT >> 1) * WIDTH + (WIDTH >> 1)] = top - 1;
  field[y * WIDTH + x] = top;

  // As ssh-keygen: "[TYPE bits]" if it fits its 16-character buffer, cut at 16 if one over, else "[TYPE]".
  let title = `[${keyTypeLabel(key.type)} ${keyBits(key)}]`;
  if (title.length > WIDTH) title = `[${keyTypeLabel(key.type)}]`;
  else if (title.length === WIDTH) title = title.slice(0, WIDTH - 1);
  const rows = [border(title)];
  for (let row = 0; row < HEIGHT; row++) {
    let line = '|';
    for (let col = 0; col < WIDTH; col++) line += SYMBOLS[field[row * WIDTH + col]];
    rows.push(line + '|');
  }
  rows.push(border(`[${alg.toUpperCase()}]`));
  return rows.join('\n');
}
