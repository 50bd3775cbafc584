// `tssh-keygen -l -f FILE`: fingerprints of a private key, a .pub file, or every key in an authorized_keys or
// known_hosts file, each line as ssh-keygen prints it.
import { readFileSync } from 'node:fs';
import {
  KeyFormatError,
  fingerprintLine,
  inspectPrivateKeyFile,
  optionsFieldEnd,
  parsePrivateKeyFile,
  randomArt,
  readKeyLine,
  splitLines,
  type FingerprintHash,
  type KeyLine,
  type PublicKey,
} from '@tssh/ssh-protocol/keys';
import { FatalError, strerror } from './fatal.js';
import type { KeygenLog } from './log.js';

export interface FingerprintOptions {
  hash: FingerprintHash;
  /** -v: the randomart picture after each line. */
  verbose: boolean;
  log: KeygenLog;
}

function tryKeyLine(text: string): KeyLine | undefined {
  try {
    return readKeyLine(text);
  } catch (e) {
    if (e instanceof KeyFormatError) return undefined;
    throw e;
  }
}

function print(key: PublicKey, comment: string | undefined, opts: FingerprintOptions): void {
  process.stdout.write(fingerprintLine(key, comment, opts.hash) + '\n');
  if (opts.verbose) process.stdout.write(randomArt(key, opts.hash) + '\n');
}

/** The first key line of a public key file and its comment (the file's name when the line has none). */
function loadPublicFile(path: string): { key: PublicKey; comment: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of splitLines(text)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (line.startsWith('-----BEGIN')) return undefined;
    const k = tryKeyLine(line);
    if (k?.key) return { key: k.key, comment: k.comment || path };
  }
  return undefined;
}

/** ssh-keygen's fingerprint_private: FILE.pub if there is one, else the key file's own public half. */
function fingerprintPrivate(path: string, text: string, opts: FingerprintOptions): void {
  const found = loadPublicFile(`${path}.pub`);
  let key = found?.key;
  let comment = found?.comment;
  if (!key) {
    try {
      key = inspectPrivateKeyFile(text).publicKey;
    } catch {
      key = undefined;
    }
  }
  if (!key || !comment) {
    // Unencrypted keys carry their comment in the clear once opened.
    try {
      const priv = parsePrivateKeyFile(text);
      key = priv.publicKey;
      comment = priv.comment;
      priv.wipe();
    } catch {
      // encrypted or unreadable: keep what we have
    }
  }
  if (!key) throw new FatalError(`${path} is not a key file.`);
  print(key, comment, opts);
}

/** After a key that did not parse at the start of a line: skip the host list or options field and try again. */
function keyAfterLeadingField(line: string): { key: KeyLine; field: string } | undefined {
  const end = optionsFieldEnd(line);
  if (end === undefined || end >= line.length) return undefined;
  const key = tryKeyLine(line.slice(end));
  return key ? { key, field: line.slice(0, end) } : undefined;
}

export async function fingerprintFile(path: string, opts: FingerprintOptions): Promise<void> {
  let text: string;
  try {
    text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (e) {
    throw new FatalError(`tssh-keygen: ${path}: ${strerror(e)}`);
  }
  const lines = splitLines(text);
  if (path !== '-' && lines.length > 0 && lines[0].includes('PRIVATE KEY')) {
    fingerprintPrivate(path, text, opts);
    return;
  }
  let printed = 0;
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '').replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#')) continue;
    let key = tryKeyLine(line);
    let field: string | undefined;
    // A leading decimal number is the old RSA1 format, never a host list or options: no second try then.
    if (!key && !/^[1-9]\d*[ \t]/.test(line)) ({ key, field } = keyAfterLeadingField(line) ?? { key: undefined });
    if (!key) {
      await opts.log.debug(`${path}:${i + 1}: not a public key`);
      continue;
    }
    if (!key.key) {
      await opts.log.verbose(`${path}:${i + 1}: key type ${key.keyType} is not supported`);
      continue;
    }
    const comment = key.comment && !key.comment.startsWith('#') ? key.comment : field;
    print(key.key, comment, opts);
    printed++;
  }
  if (printed === 0) throw new FatalError(`${path === '-' ? '(stdin)' : path} is not a public key file.`);
}
