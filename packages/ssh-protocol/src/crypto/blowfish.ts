import { PI_FRACTION_HEX } from './blowfish-pi.js';

/**
 * Blowfish (B. Schneier, "Description of a New Variable-Length Key, 64-Bit Block Cipher", 1993), with the
 * EksBlowfish state expansion of bcrypt (Provos and Mazières, 1999) that OpenSSH's bcrypt_pbkdf is built on.
 * The state is one array: P-array at 0..17, S-box k at 18 + 256k.
 */
const P_WORDS = 18;
const STATE_WORDS = P_WORDS + 4 * 256;
const S0 = P_WORDS;
const S1 = S0 + 256;
const S2 = S1 + 256;
const S3 = S2 + 256;

/** The initial state: digits of pi, parsed once, never written. */
const INITIAL_STATE: Uint32Array = (() => {
  const s = new Uint32Array(STATE_WORDS);
  for (let i = 0; i < STATE_WORDS; i++) s[i] = parseInt(PI_FRACTION_HEX.slice(8 * i, 8 * i + 8), 16);
  return s;
})();

export class Blowfish {
  private readonly s = INITIAL_STATE.slice();
  private l = 0;
  private r = 0;

  /** Schneier's key schedule (a key of 1 to 72 bytes). */
  static withKey(key: Uint8Array): Blowfish {
    if (key.length === 0 || key.length > 72) throw new RangeError('Blowfish key must be 1 to 72 bytes');
    const bf = new Blowfish();
    bf.expand0State(key);
    return bf;
  }

  /** Encrypt the pair held in this.l / this.r: 16 Feistel rounds, F(x) = ((S0[a] + S1[b]) ^ S2[c]) + S3[d]. */
  private encipher(): void {
    const s = this.s;
    let xl = this.l ^ s[0];
    let xr = this.r;
    for (let i = 1; i < 17; i += 2) {
      xr ^= (((s[S0 + (xl >>> 24)] + s[S1 + ((xl >>> 16) & 0xff)]) ^ s[S2 + ((xl >>> 8) & 0xff)]) + s[S3 + (xl & 0xff)]) ^ s[i];
      xl ^= (((s[S0 + (xr >>> 24)] + s[S1 + ((xr >>> 16) & 0xff)]) ^ s[S2 + ((xr >>> 8) & 0xff)]) + s[S3 + (xr & 0xff)]) ^ s[i + 1];
    }
    this.l = (xr ^ s[17]) >>> 0;
    this.r = xl >>> 0;
  }

  /**
   * EksBlowfish ExpandKey(state, salt, key): XOR the key cyclically into the P-array, then replace P and S with
   * successive encryptions of the chained block, each first XORed with the next 8 bytes of `data` (cyclic).
   */
  expandState(data: Uint8Array, key: Uint8Array): void {
    this.xorKey(key);
    const s = this.s;
    let j = 0;
    this.l = 0;
    this.r = 0;
    for (let i = 0; i < STATE_WORDS; i += 2) {
      let w = 0;
      for (let k = 0; k < 4; k++, j = (j + 1) % data.length) w = (w << 8) | data[j];
      this.l ^= w;
      w = 0;
      for (let k = 0; k < 4; k++, j = (j + 1) % data.length) w = (w << 8) | data[j];
      this.r ^= w;
      this.encipher();
      s[i] = this.l;
      s[i + 1] = this.r;
    }
  }

  /** ExpandKey with no data: also Schneier's original key schedule. */
  expand0State(key: Uint8Array): void {
    this.xorKey(key);
    const s = this.s;
    this.l = 0;
    this.r = 0;
    for (let i = 0; i < STATE_WORDS; i += 2) {
      this.encipher();
      s[i] = this.l;
      s[i + 1] = this.r;
    }
  }

  private xorKey(key: Uint8Array): void {
    if (key.length === 0) throw new RangeError('Blowfish key must not be empty');
    let j = 0;
    for (let i = 0; i < P_WORDS; i++) {
      let w = 0;
      for (let k = 0; k < 4; k++, j = (j + 1) % key.length) w = (w << 8) | key[j];
      this.s[i] ^= w;
    }
  }

  /** Encrypt 32-bit word pairs in place (ECB over big-endian halves), as bcrypt's blf_enc. */
  encryptWords(words: Uint32Array): void {
    if (words.length % 2 !== 0) throw new RangeError('Blowfish needs whole 64-bit blocks');
    for (let i = 0; i < words.length; i += 2) {
      this.l = words[i];
      this.r = words[i + 1];
      this.encipher();
      words[i] = this.l;
      words[i + 1] = this.r;
    }
  }

  /** Encrypt one 8-byte block (ECB). */
  encryptBlock(block: Uint8Array): Uint8Array {
    if (block.length !== 8) throw new RangeError('Blowfish block must be 8 bytes');
    const v = new DataView(block.buffer, block.byteOffset, 8);
    const words = Uint32Array.of(v.getUint32(0), v.getUint32(4));
    this.encryptWords(words);
    const out = new Uint8Array(8);
    const o = new DataView(out.buffer);
    o.setUint32(0, words[0]);
    o.setUint32(4, words[1]);
    return out;
  }
}
