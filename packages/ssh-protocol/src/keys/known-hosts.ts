// known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): `[@marker] hosts keytype base64 [comment]`, where
// hosts is a comma-separated pattern list or one hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
import { constantTimeEqual, hmac } from '../crypto/index.js';
import { utf8 } from '../wire/index.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { KeyFormatError } from './key-errors.js';
import { matchHostPatterns } from './host-patterns.js';
import { formatPublicKeyLine, readKeyLine, type KeyLine } from './public-key-line.js';
import { splitLines } from './text-lines.js';
import type { PublicKey } from './types.js';

export type KnownHostMarker = 'cert-authority' | 'revoked';

export type KnownHostNames =
  | { readonly kind: 'hashed'; readonly salt: Uint8Array; readonly hash: Uint8Array }
  | { readonly kind: 'patterns'; readonly patterns: string };

export interface KnownHostEntry {
  readonly file?: string;
  /** 1-based line number. */
  readonly line: number;
  /** The line as written, without its line end. */
  readonly text: string;
  readonly marker?: KnownHostMarker;
  /** The host field as written. */
  readonly hostsField: string;
  readonly names: KnownHostNames;
  readonly keyType: string;
  readonly blob: Uint8Array;
  /** Present when the key type is one we implement. */
  readonly key?: PublicKey;
  readonly comment: string;
  /** Everything after the host field: key type, key and comment (what `ssh-keygen -H` keeps). */
  readonly keyText: string;
}

export interface KnownHostsProblem {
  readonly file?: string;
  readonly line: number;
  readonly reason: string;
}

export type KnownHostLine =
  | { readonly kind: 'blank' }
  | { readonly kind: 'entry'; readonly entry: KnownHostEntry }
  | { readonly kind: 'invalid'; readonly reason: string };

const HASH_MAGIC = '|1|';
const SHA1_LENGTH = 20;

function parseHashedName(field: string): KnownHostNames | undefined {
  const parts = field.slice(HASH_MAGIC.length).split('|');
  if (!field.startsWith(HASH_MAGIC) || parts.length !== 2) return undefined;
  const salt = decodeBase64(parts[0]);
  const hash = decodeBase64(parts[1]);
  if (salt?.length !== SHA1_LENGTH || hash?.length !== SHA1_LENGTH) return undefined;
  return { kind: 'hashed', salt, hash };
}

/** Parse one line of a known_hosts file. */
export function parseKnownHostLine(text: string, line: number, file?: string): KnownHostLine {
  let rest = text.replace(/\r$/, '').replace(/^[ \t]+/, '');
  if (rest === '' || rest.startsWith('#')) return { kind: 'blank' };
  let marker: KnownHostMarker | undefined;
  if (rest.startsWith('@')) {
    const m = /^@(\S+)[ \t]+/.exec(rest);
    if (!m || (m[1] !== 'cert-authority' && m[1] !== 'revoked')) return { kind: 'invalid', reason: 'invalid marker' };
    marker = m[1];
    rest = rest.slice(m[0].length);
    if (rest.startsWith('@')) return { kind: 'invalid', reason: 'more than one marker' };
  }
  const h = /^(\S+)[ \t]+/.exec(rest);
  if (!h) return { kind: 'invalid', reason: 'no key after the host names' };
  const hostsField = h[1];
  const keyText = rest.slice(h[0].length);
  let names: KnownHostNames | undefined;
  if (hostsField.startsWith('|')) {
    names = parseHashedName(hostsField);
    if (!names) return { kind: 'invalid', reason: 'bad hashed host name' };
  } else {
    names = { kind: 'patterns', patterns: hostsField };
  }
  let k: KeyLine;
  try {
    k = readKeyLine(keyText);
  } catch (e) {
    if (e instanceof KeyFormatError) return { kind: 'invalid', reason: e.detail };
    throw e;
  }
  const entry: KnownHostEntry = { file, line, text, marker, hostsField, names, ...k, keyText };
  return { kind: 'entry', entry };
}

export interface KnownHosts {
  readonly entries: KnownHostEntry[];
  /** Lines that were skipped, with why (sshd and ssh skip them too). */
  readonly problems: KnownHostsProblem[];
}

/** Parse a known_hosts file; bad lines are reported and skipped, LF or CRLF line ends. */
export function parseKnownHosts(text: string, file?: string): KnownHosts {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  splitLines(text).forEach((lineText, i) => {
    const parsed = parseKnownHostLine(lineText, i + 1, file);
    if (parsed.kind === 'entry') entries.push(parsed.entry);
    else if (parsed.kind === 'invalid') problems.push({ file, line: i + 1, reason: parsed.reason });
  });
  return { entries, problems };
}

/** The name a host is recorded under: `host` on port 22, else `[host]:port` (lower case, as ssh records it). */
export function hostKeyLookupName(host: string, port = 22): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

function hashName(name: string, salt: Uint8Array): Uint8Array {
  return hmac('sha1', salt, utf8(name));
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as `ssh-keygen -H` and HashKnownHosts write it. */
export function hashKnownHostName(name: string, salt: Uint8Array): string {
  if (salt.length !== SHA1_LENGTH) throw new RangeError('known_hosts salt must be 20 bytes');
  return `${HASH_MAGIC}${encodeBase64(salt)}|${encodeBase64(hashName(name, salt))}`;
}

/** Whether an entry's host field names `lookupName` (hashed names are compared exactly, patterns case-insensitively). */
export function knownHostMatches(entry: KnownHostEntry, lookupName: string): boolean {
  if (entry.names.kind === 'hashed') return constantTimeEqual(hashName(lookupName, entry.names.salt), entry.names.hash);
  return matchHostPatterns(lookupName, entry.names.patterns);
}

/**
 * Key types recorded for a host (unmarked entries, in file order), known before any key is seen: the client puts
 * these first in its HostKeyAlgorithms so that the server offers a key we can check.
 */
export function knownHostKeyTypes(entries: readonly KnownHostEntry[], lookupName: string): string[] {
  const types = entries.filter((e) => e.marker === undefined && knownHostMatches(e, lookupName)).map((e) => e.keyType);
  return [...new Set(types)];
}

export type KnownHostCheck = (
  | { readonly status: 'found'; readonly entry: KnownHostEntry }
  | { readonly status: 'changed'; readonly entry: KnownHostEntry; readonly file?: string; readonly line: number }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry; readonly file?: string; readonly line: number }
  | { readonly status: 'not-found' }
) & {
  /** Key types recorded for this host (unmarked entries, file order): for ordering HostKeyAlgorithms. */
  readonly knownKeyTypes: string[];
};

/**
 * Check a host key against known_hosts entries as ssh does: a matching `@revoked` entry wins; else an equal key is
 * 'found'; else a different key of the same type is 'changed' (the last such entry, as OpenSSH reports it); keys
 * of other types alone leave the host 'not-found'. `@cert-authority` entries play no part for plain keys.
 */
export function checkKnownHost(entries: readonly KnownHostEntry[], lookupName: string, key: PublicKey): KnownHostCheck {
  const matching = entries.filter((e) => knownHostMatches(e, lookupName));
  const plain = matching.filter((e) => e.marker === undefined);
  const knownKeyTypes = [...new Set(plain.map((e) => e.keyType))];
  const revoked = matching.find((e) => e.marker === 'revoked' && constantTimeEqual(e.blob, key.blob));
  if (revoked) return { status: 'revoked', entry: revoked, file: revoked.file, line: revoked.line, knownKeyTypes };
  let changed: KnownHostEntry | undefined;
  for (const e of plain) {
    if (constantTimeEqual(e.blob, key.blob)) return { status: 'found', entry: e, knownKeyTypes };
    if (e.keyType === key.type) changed = e;
  }
  if (changed) return { status: 'changed', entry: changed, file: changed.file, line: changed.line, knownKeyTypes };
  return { status: 'not-found', knownKeyTypes };
}

export interface FormatKnownHostOptions {
  /** Write the name hashed (HashKnownHosts yes). */
  hash?: boolean;
  /** Randomness for the 20-byte salt; needed when hashing. */
  random?: (n: number) => Uint8Array;
}

/** A known_hosts line (without newline) recording `key` for `lookupName` (see hostKeyLookupName). */
export function formatKnownHostLine(lookupName: string, key: PublicKey, opts: FormatKnownHostOptions = {}): string {
  let names = lookupName;
  if (opts.hash) {
    if (!opts.random) throw new RangeError('hashing a known_hosts name needs randomness');
    names = hashKnownHostName(lookupName, opts.random(SHA1_LENGTH));
  }
  return `${names} ${formatPublicKeyLine(key)}`;
}
