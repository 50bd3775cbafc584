// PEM private keys, the format ssh-keygen writes with `-m PEM` / `-m PKCS8` and OpenSSH reads through OpenSSL:
// PKCS #1 RSA, SEC1 EC, PKCS #8 (plain and encrypted), and RFC 1421 legacy encryption (Proc-Type: 4,ENCRYPTED).
import { nistFieldLength, readPemPrivateKey, type PemPrivateNumbers } from '../crypto/index.js';
import { concatBytes } from '../wire/index.js';
import { EcdsaPrivateKey } from './ecdsa-key.js';
import { Ed25519PrivateKey } from './ed25519-key.js';
import { KeyDecryptError, KeyFormatError, UnsupportedKeyTypeError } from './key-errors.js';
import { leftPad } from './key-numbers.js';
import { RsaPrivateKey } from './rsa-key.js';
import type { PrivateKey } from './types.js';

const LABELS = ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'] as const;

/** The label of the BEGIN line when `text` is a PEM private key we know of. */
export function pemPrivateKeyLabel(text: string): string | undefined {
  const m = /^-----BEGIN ([A-Z ]+)-----\r?$/m.exec(text.trimStart().split('\n', 1)[0] ?? '');
  return m && (LABELS as readonly string[]).includes(m[1]) ? m[1] : undefined;
}

export function isPemPrivateKey(text: string): boolean {
  return pemPrivateKeyLabel(text) !== undefined;
}

/** PKCS #8 EncryptedPrivateKeyInfo, or RFC 1421 §4.6.1.1 `Proc-Type: 4,ENCRYPTED` in the header. */
export function isEncryptedPemKey(text: string): boolean {
  return pemPrivateKeyLabel(text) === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:[ \t]*4,ENCRYPTED[ \t]*\r?$/m.test(text);
}

function toPrivateKey(k: PemPrivateNumbers): PrivateKey {
  switch (k.kind) {
    case 'rsa': {
      const { n, e, d, p, q, qi } = k.numbers;
      return new RsaPrivateKey({ n, e, d, p, q, iqmp: qi });
    }
    case 'ecdsa': {
      const len = nistFieldLength(k.curve);
      const x = leftPad(k.x, len);
      const y = leftPad(k.y, len);
      if (!x || !y) throw new KeyFormatError(`${k.curve} point coordinates are too long`);
      return new EcdsaPrivateKey(k.curve, k.d, '', concatBytes(Uint8Array.of(4), x, y));
    }
    case 'ed25519':
      if (k.seed.length !== 32) throw new KeyFormatError('ssh-ed25519 private key is not 32 bytes');
      return new Ed25519PrivateKey(k.seed);
    case 'other':
      throw new UnsupportedKeyTypeError(k.type === 'dsa' ? 'ssh-dss' : k.type);
    default:
      return k satisfies never;
  }
}

function wipeNumbers(k: PemPrivateNumbers): void {
  if (k.kind === 'rsa') for (const b of [k.numbers.d, k.numbers.p, k.numbers.q, k.numbers.dp, k.numbers.dq, k.numbers.qi]) b.fill(0);
  else if (k.kind === 'ecdsa') k.d.fill(0);
}

/**
 * Parse a PEM private key; the key has no comment. An encrypted key without a passphrase, or one OpenSSL cannot
 * decrypt with it, is KeyDecryptError; anything else OpenSSL refuses is KeyFormatError.
 */
export function parsePemPrivateKey(text: string, passphrase?: string): PrivateKey {
  const encrypted = isEncryptedPemKey(text);
  if (encrypted && !passphrase) throw new KeyDecryptError(false);
  let numbers: PemPrivateNumbers;
  try {
    numbers = readPemPrivateKey(text, encrypted ? passphrase : undefined);
  } catch (e) {
    // A wrong passphrase shows as bad padding or, rarely, as garbage that fails to decode: either way, wrong.
    if (encrypted) throw new KeyDecryptError(true);
    throw new KeyFormatError(`PEM key: ${(e as Error).message}`);
  }
  try {
    return toPrivateKey(numbers);
  } finally {
    wipeNumbers(numbers);
  }
}
