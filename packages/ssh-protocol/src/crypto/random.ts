import { randomFillSync } from 'node:crypto';

/** Random bytes from the operating system's CSPRNG. */
export function systemRandom(n: number): Uint8Array {
  return randomFillSync(new Uint8Array(n));
}
