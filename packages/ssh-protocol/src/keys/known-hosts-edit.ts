// Whole-file known_hosts edits as `ssh-keygen -F`, `-R` and `-H` make them. Text in, text out: every line that
// is not changed is written back byte for byte, each ending with "\n".
import { hashKnownHostName, knownHostMatches, parseKnownHostLine, type KnownHostEntry } from './known-hosts.js';
import { splitLines } from './text-lines.js';

export interface KnownHostsEdit {
  readonly text: string;
  /** Lines that could not be parsed: ssh-keygen refuses to rewrite such a file. */
  readonly invalidLines: number[];
}

/** Entries naming `name` (hashed or by pattern), markers included, in file order. */
export function findKnownHost(text: string, name: string, file?: string): KnownHostEntry[] {
  const found: KnownHostEntry[] = [];
  splitLines(text).forEach((lineText, i) => {
    const parsed = parseKnownHostLine(lineText, i + 1, file);
    if (parsed.kind === 'entry' && knownHostMatches(parsed.entry, name)) found.push(parsed.entry);
  });
  return found;
}

/** Drop the unmarked entries naming `name` (`@revoked` and `@cert-authority` lines stay). */
export function removeKnownHost(text: string, name: string): KnownHostsEdit & { removedLines: number[] } {
  const out: string[] = [];
  const invalidLines: number[] = [];
  const removedLines: number[] = [];
  splitLines(text).forEach((lineText, i) => {
    const parsed = parseKnownHostLine(lineText, i + 1);
    if (parsed.kind === 'invalid') invalidLines.push(i + 1);
    if (parsed.kind === 'entry' && parsed.entry.marker === undefined && knownHostMatches(parsed.entry, name)) {
      removedLines.push(i + 1);
    } else {
      out.push(lineText + '\n');
    }
  });
  return { text: out.join(''), invalidLines, removedLines };
}

/** Whether a host field holds wildcards or negations, which cannot be hashed. */
function hasWildcard(hostsField: string): boolean {
  return /[*?!]/.test(hostsField);
}

/**
 * The hashed lines replacing one entry: one per host name (lower-cased), each with a fresh salt; undefined when
 * the entry stays as it is (already hashed, wildcards, or a marker).
 */
export function hashKnownHostEntry(entry: KnownHostEntry, random: (n: number) => Uint8Array): string[] | undefined {
  if (entry.names.kind === 'hashed' || hasWildcard(entry.hostsField) || entry.marker !== undefined) return undefined;
  const lineEnd = entry.text.endsWith('\r') ? '\r' : '';
  const lines: string[] = [];
  for (const host of entry.hostsField.split(',')) {
    if (host === '') break;
    lines.push(`${hashKnownHostName(host.toLowerCase(), random(20))} ${entry.keyText}${lineEnd}`);
  }
  return lines;
}

/** `ssh-keygen -H`: hash every plain host name; lines with wildcards are kept and listed. */
export function hashKnownHosts(
  text: string,
  random: (n: number) => Uint8Array,
): KnownHostsEdit & { hashedLines: number[]; wildcardLines: Array<{ line: number; hosts: string }> } {
  const out: string[] = [];
  const invalidLines: number[] = [];
  const hashedLines: number[] = [];
  const wildcardLines: Array<{ line: number; hosts: string }> = [];
  splitLines(text).forEach((lineText, i) => {
    const parsed = parseKnownHostLine(lineText, i + 1);
    if (parsed.kind === 'invalid') invalidLines.push(i + 1);
    if (parsed.kind !== 'entry') {
      out.push(lineText + '\n');
      return;
    }
    const hashed = hashKnownHostEntry(parsed.entry, random);
    if (hashed) {
      hashedLines.push(i + 1);
      for (const l of hashed) out.push(l + '\n');
      return;
    }
    if (hasWildcard(parsed.entry.hostsField)) wildcardLines.push({ line: i + 1, hosts: parsed.entry.hostsField });
    out.push(lineText + '\n');
  });
  return { text: out.join(''), invalidLines, hashedLines, wildcardLines };
}
