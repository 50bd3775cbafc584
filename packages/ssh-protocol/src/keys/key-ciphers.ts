import { aesCbcDecrypt, aesCbcEncrypt, aesCtr } from '../crypto/index.js';

/** A cipher for the private section of an openssh-key-v1 file (PROTOCOL.key §4), named as in `ssh -Q cipher`. */
export interface KeyFileCipher {
  readonly name: string;
  readonly keyLength: number;
  readonly ivLength: number;
  /** The private section is padded to a multiple of this (PROTOCOL.key §3). */
  readonly blockSize: number;
  encrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  decrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
}

const identity = (_key: Uint8Array, _iv: Uint8Array, data: Uint8Array): Uint8Array => data.slice();

function ctr(bits: 128 | 192 | 256): KeyFileCipher {
  return { name: `aes${bits}-ctr`, keyLength: bits / 8, ivLength: 16, blockSize: 16, encrypt: aesCtr, decrypt: aesCtr };
}

function cbc(bits: 128 | 192 | 256): KeyFileCipher {
  return {
    name: `aes${bits}-cbc`,
    keyLength: bits / 8,
    ivLength: 16,
    blockSize: 16,
    encrypt: aesCbcEncrypt,
    decrypt: aesCbcDecrypt,
  };
}

/** OpenSSH writes aes256-ctr (since 7.6; aes256-cbc before). `none` pads to 8 bytes. */
const CIPHERS: ReadonlyMap<string, KeyFileCipher> = new Map(
  [
    { name: 'none', keyLength: 0, ivLength: 0, blockSize: 8, encrypt: identity, decrypt: identity },
    ctr(128),
    ctr(192),
    ctr(256),
    cbc(128),
    cbc(192),
    cbc(256),
  ].map((c): [string, KeyFileCipher] => [c.name, Object.freeze(c)]),
);

export const DEFAULT_KEY_FILE_CIPHER = 'aes256-ctr';

export function keyFileCipher(name: string): KeyFileCipher | undefined {
  return CIPHERS.get(name);
}
