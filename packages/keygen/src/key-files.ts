// Reading and writing key files with the modes and messages ssh-keygen uses.
import { closeSync, fchmodSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import {
  KeyDecryptError,
  KeyFormatError,
  UnsupportedKeyCipherError,
  UnsupportedKeyTypeError,
  formatPublicKeyLine,
  parsePrivateKeyFile,
  serializePrivateKey,
  type PrivateKey,
} from '@tssh/ssh-protocol/keys';
import { FatalError, strerror } from './fatal.js';
import { onTerminal, readHidden } from './prompt.js';

/** The whole of a text file, or FatalError "tssh-keygen: FILE: No such file or directory". */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new FatalError(`tssh-keygen: ${path}: ${strerror(e)}`);
  }
}

/** The text after `Load key "FILE": ` for an error from the key parsers (OpenSSH's ssh_err wording). */
export function loadKeyReason(e: unknown): string {
  if (e instanceof KeyDecryptError) return e.message;
  if (e instanceof UnsupportedKeyCipherError) return 'key encrypted using unsupported cipher';
  if (e instanceof KeyFormatError) return 'invalid format';
  if (e instanceof UnsupportedKeyTypeError) return 'unknown or unsupported key type';
  throw e;
}

/**
 * Load a private key as ssh-keygen's load_identity: try without a passphrase; if one is needed, use `passphrase`
 * (-P) or ask on the terminal. Failures are FatalError `Load key "FILE": reason`.
 */
export async function loadPrivateKey(path: string, passphrase: string | undefined): Promise<PrivateKey> {
  const text = readTextFile(path);
  try {
    return parsePrivateKeyFile(text);
  } catch (e) {
    if (!(e instanceof KeyDecryptError)) throw new FatalError(`Load key "${path}": ${loadKeyReason(e)}`);
  }
  let pass = passphrase;
  if (pass === undefined && onTerminal()) pass = await readHidden(`Enter passphrase for "${path}": `);
  try {
    return parsePrivateKeyFile(text, pass);
  } catch (e) {
    throw new FatalError(`Load key "${path}": ${loadKeyReason(e)}`);
  }
}

/** Write `data` to `path` with exactly `mode`, creating or truncating it; the mode is set before any byte lands. */
export function writeFileWithMode(path: string, data: string, mode: number): void {
  const fd = openSync(path, 'w', mode);
  try {
    fchmodSync(fd, mode);
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** Write `data` to a temporary file beside `path` (mode `mode`), then rename it over `path`. */
export function replaceFileAtomically(path: string, data: string, mode: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.${Buffer.from(systemRandom(6)).toString('hex')}`);
  try {
    writeFileWithMode(tmp, data, mode);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw e;
  }
}

export interface KeyPairWrite {
  passphrase: string;
  rounds?: number;
  cipher?: string;
}

/** The private key file text, as ssh-keygen writes it. */
export function privateKeyText(key: PrivateKey, opts: KeyPairWrite): string {
  try {
    return serializePrivateKey(key, { passphrase: opts.passphrase, rounds: opts.rounds, cipher: opts.cipher, random: systemRandom });
  } catch (e) {
    if (e instanceof UnsupportedKeyCipherError) throw new FatalError(`Unknown cipher "${opts.cipher}"`);
    throw e;
  }
}

/** The `.pub` file text: one line with the comment, ending in a newline. */
export function publicKeyText(key: PrivateKey): string {
  return formatPublicKeyLine(key.publicKey, key.comment) + '\n';
}

/**
 * Write a key pair through temporary files renamed into place (public first, then private), so that a reader never
 * sees a half-written key: PATH mode 0600, PATH.pub mode 0644.
 */
export function writeKeyPairAtomically(path: string, key: PrivateKey, opts: KeyPairWrite): void {
  const suffix = Buffer.from(systemRandom(6)).toString('hex');
  const tmpPrivate = join(dirname(path), `.${basename(path)}.${suffix}`);
  const tmpPublic = `${tmpPrivate}.pub`;
  try {
    writeFileWithMode(tmpPrivate, privateKeyText(key, opts), 0o600);
    writeFileWithMode(tmpPublic, publicKeyText(key), 0o644);
    renameSync(tmpPublic, `${path}.pub`);
    renameSync(tmpPrivate, path);
  } catch (e) {
    for (const t of [tmpPrivate, tmpPublic]) {
      try {
        unlinkSync(t);
      } catch {
        // not created, or already renamed
      }
    }
    throw e;
  }
}

/** Whether `path` exists and is not empty (an empty host key file counts as missing, as for ssh-keygen -A). */
export function existsNonEmpty(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
