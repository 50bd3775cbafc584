// authorized_keys files as sshd reads them (sshd(8) "AUTHORIZED_KEYS FILE FORMAT"): one key per line, an optional
// options field before the key type, blank lines and `#` comments skipped. A bad line is skipped and reported.
import { constantTimeEqual } from '../crypto/index.js';
import { parseAuthorizedKeyOptions, DEFAULT_AUTHORIZED_KEY_OPTIONS, type AuthorizedKeyOptions } from './authorized-key-options.js';
import { KeyFormatError } from './key-errors.js';
import { splitLines } from './text-lines.js';
import { readKeyLine, type KeyLine } from './public-key-line.js';
import type { PublicKey } from './types.js';

export interface AuthorizedKeyEntry extends KeyLine {
  readonly file?: string;
  /** 1-based line number. */
  readonly line: number;
  readonly options: AuthorizedKeyOptions;
  /** The options field as written ('' when none). */
  readonly optionsText: string;
}

export interface AuthorizedKeysProblem {
  readonly file?: string;
  readonly line: number;
  readonly reason: string;
}

export interface AuthorizedKeys {
  readonly entries: AuthorizedKeyEntry[];
  readonly problems: AuthorizedKeysProblem[];
}

/**
 * Where the options field ends: at the first blank outside double quotes (`\"` does not close a quote), as
 * OpenSSH's sshkey_advance_past_options. Undefined when a quote is left open.
 */
export function optionsFieldEnd(line: string): number | undefined {
  let quoted = false;
  let i = 0;
  for (; i < line.length && (quoted || (line[i] !== ' ' && line[i] !== '\t')); i++) {
    if (line[i] === '\\' && line[i + 1] === '"') i++;
    else if (line[i] === '"') quoted = !quoted;
  }
  return quoted ? undefined : i;
}

/** Parse one non-blank line: a bare key first, else options then key (as sshd tries it). Throws KeyFormatError. */
export function parseAuthorizedKeyLine(text: string, line: number, file?: string): AuthorizedKeyEntry {
  const trimmed = text.replace(/\r$/, '').replace(/^[ \t]+/, '');
  try {
    const k = readKeyLine(trimmed);
    return { ...k, file, line, options: DEFAULT_AUTHORIZED_KEY_OPTIONS, optionsText: '' };
  } catch (e) {
    if (!(e instanceof KeyFormatError)) throw e;
  }
  const end = optionsFieldEnd(trimmed);
  if (end === undefined) throw new KeyFormatError('unterminated quote in options');
  const optionsText = trimmed.slice(0, end);
  const k = readKeyLine(trimmed.slice(end));
  return { ...k, file, line, options: parseAuthorizedKeyOptions(optionsText), optionsText };
}

/** Parse an authorized_keys file (LF or CRLF); bad lines are skipped and listed with their reason. */
export function parseAuthorizedKeys(text: string, file?: string): AuthorizedKeys {
  const entries: AuthorizedKeyEntry[] = [];
  const problems: AuthorizedKeysProblem[] = [];
  splitLines(text).forEach((lineText, i) => {
    const body = lineText.replace(/\r$/, '').trim();
    if (body === '' || body.startsWith('#')) return;
    try {
      entries.push(parseAuthorizedKeyLine(lineText, i + 1, file));
    } catch (e) {
      if (!(e instanceof KeyFormatError)) throw e;
      problems.push({ file, line: i + 1, reason: e.detail });
    }
  });
  return { entries, problems };
}

/**
 * Every entry for `key` as a user key, in file order (sshd tries them in turn until one's options allow the login).
 * `cert-authority` entries name CAs, not user keys, so they never match a plain key. Blobs compare in constant time.
 */
export function findAuthorizedKeys(entries: readonly AuthorizedKeyEntry[], key: PublicKey): AuthorizedKeyEntry[] {
  return entries.filter((e) => !e.options.certAuthority && constantTimeEqual(e.blob, key.blob));
}

/** The first entry for `key` as a user key, if any. */
export function findAuthorizedKey(entries: readonly AuthorizedKeyEntry[], key: PublicKey): AuthorizedKeyEntry | undefined {
  return findAuthorizedKeys(entries, key)[0];
}
