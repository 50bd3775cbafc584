import { createCipheriv } from 'node:crypto';

// The AES-256-CTR DRBG of NIST's PQC KAT generator (rng.c: randombytes_init / randombytes), without
// derivation function or reseeding: the published KAT files were made with it.

function aes256Block(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

function increment(v: Uint8Array): void {
  for (let j = 15; j >= 0; j--) {
    v[j] = (v[j] + 1) & 0xff;
    if (v[j] !== 0) return;
  }
}

export class NistDrbg {
  private key = new Uint8Array(32);
  private v = new Uint8Array(16);

  /** randombytes_init(entropy, NULL, 256). */
  constructor(entropy: Uint8Array) {
    if (entropy.length !== 48) throw new RangeError('NIST DRBG seed must be 48 bytes');
    this.update(entropy);
  }

  /** CTR_DRBG_Update: three counter blocks become the new key and V, xored with `provided` if given. */
  private update(provided?: Uint8Array): void {
    const temp = new Uint8Array(48);
    for (let i = 0; i < 3; i++) {
      increment(this.v);
      temp.set(aes256Block(this.key, this.v), 16 * i);
    }
    if (provided) for (let i = 0; i < 48; i++) temp[i] ^= provided[i];
    this.key = temp.slice(0, 32);
    this.v = temp.slice(32, 48);
  }

  /** randombytes(x, n): whole counter blocks, the tail of the last one discarded, then an update. */
  readonly random = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let at = 0; at < n; at += 16) {
      increment(this.v);
      const block = aes256Block(this.key, this.v);
      out.set(block.subarray(0, Math.min(16, n - at)), at);
    }
    this.update();
    return out;
  };
}

/** The generator's 48-byte seeds: a DRBG seeded with 0, 1, ..., 47 yields one seed per test case. */
export function katSeeds(count: number): Uint8Array[] {
  const master = new NistDrbg(Uint8Array.from({ length: 48 }, (_, i) => i));
  return Array.from({ length: count }, () => master.random(48));
}
