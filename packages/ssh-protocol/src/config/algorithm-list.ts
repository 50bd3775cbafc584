// Algorithm list specs (OpenSSH kex_assemble_names): "+list" appends to the defaults, "-list" removes
// (wildcards allowed), "^list" puts names first, a plain list replaces the defaults.

import { ConfigError, type ConfigSource } from './config-error.js';
import { matchPattern } from './pattern-match.js';

/** The keywords that take an algorithm list. */
export type AlgorithmKeyword = 'ciphers' | 'macs' | 'kexAlgorithms' | 'hostKeyAlgorithms' | 'pubkeyAcceptedAlgorithms';

/** A list spec as written, with the place it came from for later errors. */
export interface AlgorithmSpec extends ConfigSource {
  readonly spec: string;
}

/** Default and supported names per keyword; given to the parser, specs are checked as they are read. */
export type AlgorithmCatalog = Partial<
  Record<AlgorithmKeyword, { readonly defaults: readonly string[]; readonly supported: readonly string[] }>
>;

/** OpenSSH's words for a bad list, per keyword. */
export const ALGORITHM_ERROR: Readonly<Record<AlgorithmKeyword, string>> = Object.freeze({
  ciphers: 'Bad SSH2 cipher spec',
  macs: 'Bad SSH2 mac spec',
  kexAlgorithms: 'Bad SSH2 KexAlgorithms',
  hostKeyAlgorithms: 'Bad key types',
  pubkeyAcceptedAlgorithms: 'Bad key types',
});

function isPattern(name: string): boolean {
  return name.includes('*') || name.includes('?');
}

function appendUnique(out: string[], names: readonly string[]): void {
  for (const n of names) if (!out.includes(n)) out.push(n);
}

/**
 * Applies `spec` to `defaults`. Names after '+', '^' or none must be supported (a wildcard must match
 * at least one supported name); '-' lists are patterns and may name anything. Errors name `where`.
 */
export function applyAlgorithmList(
  defaults: readonly string[],
  supported: readonly string[],
  spec: string,
  where: ConfigSource = { file: 'command-line', line: 0 },
  what = 'Bad algorithm list',
): string[] {
  const bad = (): ConfigError => ConfigError.at(where, `${what} '${spec}'.`);
  const prefix = spec[0] === '+' || spec[0] === '-' || spec[0] === '^' ? spec[0] : '';
  const names = spec.slice(prefix.length).split(',');
  if (names.some((n) => n === '' || n.startsWith('!'))) throw bad();
  if (prefix === '-') {
    const kept = defaults.filter((d) => !names.some((pattern) => matchPattern(d, pattern)));
    if (kept.length === 0) throw bad();
    return kept;
  }
  for (const n of names) {
    const known = isPattern(n) ? supported.some((s) => matchPattern(s, n)) : supported.includes(n);
    if (!known) throw bad();
  }
  const wanted: string[] = [];
  if (prefix === '+') appendUnique(wanted, defaults);
  appendUnique(wanted, names);
  if (prefix === '^') appendUnique(wanted, defaults);
  // Each entry may be a pattern: expand it against the supported names, in their order.
  const out: string[] = [];
  for (const w of wanted) appendUnique(out, isPattern(w) ? supported.filter((s) => matchPattern(s, w)) : [w]);
  if (out.length === 0) throw bad();
  return out;
}

/** The effective list for a keyword: the defaults when no spec was given. */
export function effectiveAlgorithms(
  keyword: AlgorithmKeyword,
  spec: AlgorithmSpec | undefined,
  catalog: { readonly defaults: readonly string[]; readonly supported: readonly string[] },
): string[] {
  if (!spec) return [...catalog.defaults];
  return applyAlgorithmList(catalog.defaults, catalog.supported, spec.spec, spec, ALGORITHM_ERROR[keyword]);
}
