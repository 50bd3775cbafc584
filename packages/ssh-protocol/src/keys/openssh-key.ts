// openssh-key-v1 private key files, as PROTOCOL.key describes them and ssh-keygen writes them.
import { bcryptPbkdf } from '../crypto/index.js';
import { DecodeError, SshReader, SshWriter, bytesEqual, utf8 } from '../wire/index.js';
import { armour, hasArmour, unarmour } from './key-armour.js';
import { DEFAULT_KEY_FILE_CIPHER, keyFileCipher, type KeyFileCipher } from './key-ciphers.js';
import { KeyDecryptError, KeyFormatError, UnsupportedKeyCipherError, UnsupportedKeyTypeError } from './key-errors.js';
import { keyTypeInfo } from './key-types.js';
import { isEncryptedPemKey, isPemPrivateKey, parsePemPrivateKey } from './pem-key.js';
import { parsePublicKeyBlob } from './public-key.js';
import type { PrivateKey, PublicKey } from './types.js';

export const OPENSSH_PRIVATE_KEY_LABEL = 'OPENSSH PRIVATE KEY';
/** PROTOCOL.key §1: AUTH_MAGIC, NUL-terminated. */
const AUTH_MAGIC = utf8('openssh-key-v1\0');
/** ssh-keygen's defaults for `-a` and the salt (OpenSSH 9.x). */
export const DEFAULT_KDF_ROUNDS = 16;
const SALT_LENGTH = 16;

/** What a key file says about itself before any passphrase is needed. */
export interface PrivateKeyFileInfo {
  readonly cipher: string;
  readonly kdf: string;
  /** bcrypt rounds; 0 when the key is not encrypted. */
  readonly rounds: number;
  readonly encrypted: boolean;
  /** The public key stored in the clear (PROTOCOL.key §1). */
  readonly publicKey: PublicKey;
}

interface Envelope {
  cipher: KeyFileCipher;
  kdf: string;
  salt: Uint8Array;
  rounds: number;
  publicBlob: Uint8Array;
  sealed: Uint8Array;
}

/** DecodeErrors from the reader become KeyFormatErrors: to the user it is all "invalid format". */
function asFormatError<T>(what: () => T): T {
  try {
    return what();
  } catch (e) {
    if (e instanceof DecodeError) throw new KeyFormatError(e.message);
    throw e;
  }
}

function decodeEnvelope(text: string): Envelope {
  const data = unarmour(text, OPENSSH_PRIVATE_KEY_LABEL);
  return asFormatError(() => {
    const r = new SshReader(data, 'openssh-key-v1');
    if (data.length < AUTH_MAGIC.length || !bytesEqual(r.raw(AUTH_MAGIC.length), AUTH_MAGIC)) {
      throw new KeyFormatError('not an openssh-key-v1 key (bad magic)');
    }
    const cipherName = r.string();
    const kdf = r.string();
    const kdfOptions = r.bytes();
    const count = r.u32();
    if (count !== 1) throw new KeyFormatError(`${count} keys in one file (only 1 is supported)`);
    const publicBlob = r.bytes().slice();
    const sealed = r.bytes().slice();
    r.end();

    const cipher = keyFileCipher(cipherName);
    if (!cipher) throw new UnsupportedKeyCipherError(cipherName);
    let salt = new Uint8Array(0);
    let rounds = 0;
    if (kdf === 'bcrypt') {
      // PROTOCOL.key §2: string salt, uint32 rounds.
      const o = new SshReader(kdfOptions, 'bcrypt KDF options');
      salt = o.bytes().slice();
      rounds = o.u32();
      o.end();
      if (salt.length === 0 || rounds === 0) throw new KeyFormatError('bcrypt KDF with an empty salt or zero rounds');
      if (cipher.name === 'none') throw new KeyFormatError('bcrypt KDF with cipher none');
    } else if (kdf === 'none') {
      // PROTOCOL.key §5: cipher and KDF "none", empty options.
      if (cipher.name !== 'none') throw new KeyFormatError(`cipher ${cipher.name} without a KDF`);
      if (kdfOptions.length !== 0) throw new KeyFormatError('KDF "none" with options');
    } else {
      throw new UnsupportedKeyCipherError(kdf);
    }
    if (sealed.length < cipher.blockSize || sealed.length % cipher.blockSize !== 0) {
      throw new KeyFormatError(`private section of ${sealed.length} bytes is not a whole number of blocks`);
    }
    return { cipher, kdf, salt, rounds, publicBlob, sealed };
  });
}

/** Whether `text` looks like an openssh-key-v1 file (by its BEGIN line). */
export function isOpenSshPrivateKey(text: string): boolean {
  return hasArmour(text, OPENSSH_PRIVATE_KEY_LABEL);
}

/** Read the clear part of a key file: cipher, KDF and public key. Throws KeyFormatError. */
export function inspectPrivateKeyFile(text: string): PrivateKeyFileInfo {
  const env = decodeEnvelope(text);
  const publicKey = asFormatError(() => parsePublicKeyBlob(env.publicBlob));
  return { cipher: env.cipher.name, kdf: env.kdf, rounds: env.rounds, encrypted: env.kdf !== 'none', publicKey };
}

/** Whether an openssh-key-v1 or PEM private key file needs a passphrase. */
export function isEncryptedPrivateKey(text: string): boolean {
  if (isPemPrivateKey(text)) return isEncryptedPemKey(text);
  return inspectPrivateKeyFile(text).encrypted;
}

function deriveKeyIv(cipher: KeyFileCipher, passphrase: string, salt: Uint8Array, rounds: number) {
  const pass = utf8(passphrase);
  const material = bcryptPbkdf(pass, salt, rounds, cipher.keyLength + cipher.ivLength);
  pass.fill(0);
  return { key: material.subarray(0, cipher.keyLength), iv: material.subarray(cipher.keyLength), material };
}

/**
 * Parse an openssh-key-v1 private key file (LF or CRLF), or a PEM one (see pem-key.ts). An encrypted key needs
 * `passphrase`; without it, or with a wrong one, this throws KeyDecryptError. Malformed files throw
 * KeyFormatError, unknown key types UnsupportedKeyTypeError, unknown ciphers UnsupportedKeyCipherError.
 */
export function parsePrivateKeyFile(text: string, passphrase?: string): PrivateKey {
  if (isPemPrivateKey(text)) return parsePemPrivateKey(text, passphrase);
  const env = decodeEnvelope(text);
  const encrypted = env.kdf !== 'none';
  let plain: Uint8Array;
  if (encrypted) {
    if (!passphrase) throw new KeyDecryptError(false);
    const { key, iv, material } = deriveKeyIv(env.cipher, passphrase, env.salt, env.rounds);
    plain = env.cipher.decrypt(key, iv, env.sealed);
    material.fill(0);
  } else {
    plain = env.sealed;
  }
  try {
    return asFormatError(() => decodePrivateSection(plain, env, encrypted));
  } finally {
    plain.fill(0);
  }
}

/** PROTOCOL.key §3: checkint, checkint, key, comment, padding 1, 2, 3, ... */
function decodePrivateSection(plain: Uint8Array, env: Envelope, encrypted: boolean): PrivateKey {
  const r = new SshReader(plain, 'private key section');
  if (r.u32() !== r.u32()) {
    if (encrypted) throw new KeyDecryptError(true);
    throw new KeyFormatError('check-ints differ');
  }
  const type = r.string();
  const info = keyTypeInfo(type);
  if (!info) throw new UnsupportedKeyTypeError(type);
  const key = info.readPrivate(r);
  try {
    key.comment = r.string();
    const padding = r.rest();
    if (padding.length >= env.cipher.blockSize) throw new KeyFormatError('too much padding');
    for (let i = 0; i < padding.length; i++) {
      if (padding[i] !== ((i + 1) & 0xff)) throw new KeyFormatError('bad padding');
    }
    r.end();
    if (!bytesEqual(key.publicKey.blob, env.publicBlob)) {
      throw new KeyFormatError('public key does not match the private key');
    }
    return key;
  } catch (e) {
    key.wipe();
    throw e;
  }
}

export interface SerializePrivateKeyOptions {
  /** Empty or absent: the key is written unencrypted (cipher and KDF "none"), as ssh-keygen does. */
  passphrase?: string;
  /** bcrypt rounds (`ssh-keygen -a`); default 16. */
  rounds?: number;
  /** Default aes256-ctr. */
  cipher?: string;
  /** Randomness for the check-int (4 bytes) and the salt (16 bytes). */
  random: (n: number) => Uint8Array;
}

/** Write `key` (with its comment) as an openssh-key-v1 file, armoured like ssh-keygen's output. */
export function serializePrivateKey(key: PrivateKey, opts: SerializePrivateKeyOptions): string {
  const info = keyTypeInfo(key.publicKey.type);
  if (!info) throw new UnsupportedKeyTypeError(key.publicKey.type);
  const encrypt = !!opts.passphrase;
  const cipherName = encrypt ? (opts.cipher ?? DEFAULT_KEY_FILE_CIPHER) : 'none';
  const cipher = keyFileCipher(cipherName);
  if (!cipher) throw new UnsupportedKeyCipherError(cipherName);
  if (encrypt && cipher.name === 'none') throw new RangeError('a passphrase needs a cipher other than none');
  const rounds = opts.rounds ?? DEFAULT_KDF_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 0xffffffff) throw new RangeError(`bad KDF rounds ${rounds}`);

  const kdfOptions = new SshWriter();
  let salt: Uint8Array | undefined;
  if (encrypt) {
    salt = opts.random(SALT_LENGTH);
    kdfOptions.string(salt).u32(rounds);
  }

  const check = new SshReader(opts.random(4)).u32();
  const section = new SshWriter(256).u32(check).u32(check).string(info.name);
  info.writePrivate(section, key);
  section.string(key.comment);
  for (let i = 1; section.length % cipher.blockSize !== 0; i++) section.byte(i & 0xff);
  const plain = section.toBytes();

  let sealed = plain;
  if (encrypt && salt) {
    const { key: k, iv, material } = deriveKeyIv(cipher, opts.passphrase as string, salt, rounds);
    sealed = cipher.encrypt(k, iv, plain);
    material.fill(0);
    plain.fill(0);
  }

  const file = new SshWriter(512)
    .raw(AUTH_MAGIC)
    .string(cipher.name)
    .string(encrypt ? 'bcrypt' : 'none')
    .string(kdfOptions.toBytes())
    .u32(1)
    .string(key.publicKey.blob)
    .string(sealed)
    .toBytes();
  sealed.fill(0);
  return armour(OPENSSH_PRIVATE_KEY_LABEL, file);
}
