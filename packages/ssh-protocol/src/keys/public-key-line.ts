// One-line public keys, the `.pub` format that ssh-keygen writes and sshd reads in authorized_keys:
// `type base64(blob) [comment]` (OpenSSH sshkey_read / sshkey_write).
import { DecodeError, SshReader } from '../wire/index.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { KeyFormatError, UnsupportedKeyTypeError } from './key-errors.js';
import { blobKeyType, parsePublicKeyBlob } from './public-key.js';
import type { PublicKey } from './types.js';

/** A key line taken apart without needing to implement its type. */
export interface PublicKeyText {
  /** The type named at the start of the line, equal to the type inside the blob. */
  readonly keyType: string;
  readonly blob: Uint8Array;
  /** The rest of the line, trimmed; '' when absent. */
  readonly comment: string;
}

const FIELD = /^[ \t]*(\S+)[ \t]+([^ \t]+)(?:[ \t]+(.*))?$/s;

/** Split `type base64 [comment]`; the base64 must decode and its blob must start with the same type name. */
export function decodePublicKeyText(line: string): PublicKeyText {
  const m = FIELD.exec(line.replace(/\r?\n$/, ''));
  if (!m) throw new KeyFormatError('expected "type base64 [comment]"');
  const [, keyType, b64, rest] = m;
  const blob = decodeBase64(b64);
  if (!blob) throw new KeyFormatError(`bad base64 key data for ${keyType}`);
  let inner: string;
  try {
    inner = new SshReader(blob, 'public key blob').string();
  } catch {
    throw new KeyFormatError(`key data for ${keyType} is not a key blob`);
  }
  if (inner !== keyType) throw new KeyFormatError(`key type ${keyType} does not match the key data (${inner})`);
  return { keyType, blob, comment: (rest ?? '').trim() };
}

/** A key line whose key is parsed when its type is one we implement (and kept as a blob otherwise). */
export interface KeyLine extends PublicKeyText {
  readonly key?: PublicKey;
}

/** decodePublicKeyText plus the key itself when we implement its type. Throws KeyFormatError. */
export function readKeyLine(line: string): KeyLine {
  const t = decodePublicKeyText(line);
  try {
    return { ...t, key: parsePublicKeyBlob(t.blob) };
  } catch (e) {
    if (e instanceof UnsupportedKeyTypeError) return { ...t, key: undefined };
    if (e instanceof DecodeError) throw new KeyFormatError(e.message);
    throw e;
  }
}

/** Parse a `.pub` line into a key we implement (UnsupportedKeyTypeError otherwise) and its comment. */
export function parsePublicKeyLine(line: string): { key: PublicKey; comment: string } {
  const t = decodePublicKeyText(line);
  let key: PublicKey;
  try {
    key = parsePublicKeyBlob(t.blob);
  } catch (e) {
    if (e instanceof DecodeError) throw new KeyFormatError(e.message);
    throw e;
  }
  return { key, comment: t.comment };
}

/** `type base64 comment` without a newline; no trailing space when the comment is empty. */
export function formatPublicKeyLine(key: PublicKey | Uint8Array, comment = ''): string {
  const blob = key instanceof Uint8Array ? key : key.blob;
  const type = key instanceof Uint8Array ? blobKeyType(blob) : key.type;
  const line = `${type} ${encodeBase64(blob)}`;
  return comment ? `${line} ${comment}` : line;
}
