// ssh_config Host and Match lines (readconf.c): parsing, and the test against the host being resolved.

import { ConfigError } from './config-error.js';
import type { ConfigLine } from './lexer.js';
import { matchHostList, matchPattern, matchPatternList } from './pattern-match.js';

export type SshMatchAttribute = 'all' | 'canonical' | 'final' | 'host' | 'originalhost' | 'user' | 'localuser';

export interface SshMatchCriterion {
  readonly attribute: SshMatchAttribute;
  readonly negate: boolean;
  /** The pattern list, for the attributes that take one. */
  readonly patterns?: string;
}

export type SshCondition =
  | { readonly kind: 'host'; readonly patterns: readonly string[] }
  | { readonly kind: 'match'; readonly criteria: readonly SshMatchCriterion[] };

/** What a Host / Match line is tested against, as known at that point of reading. */
export interface SshMatchState {
  readonly originalHost: string;
  /** HostName so far (with %h expanded), else the original host. */
  readonly host: string;
  /** User so far, else the local user. */
  readonly user: string;
  readonly localUser: string;
  /** True in the second pass that `Match final` asks for. */
  readonly finalPass: boolean;
}

const WITH_ARGUMENT = new Set(['host', 'originalhost', 'user', 'localuser']);
const REFUSED = new Set(['exec', 'localnetwork', 'tagged', 'command', 'version', 'sessiontype']);

export function parseSshCondition(line: ConfigLine): SshCondition {
  if (line.key === 'host') return { kind: 'host', patterns: [...line.args] };
  const criteria: SshMatchCriterion[] = [];
  const args = [...line.args];
  while (args.length > 0) {
    const word = args.shift() as string;
    const negate = word.startsWith('!');
    const name = (negate ? word.slice(1) : word).toLowerCase();
    if (name === 'all' || name === 'canonical' || name === 'final') {
      criteria.push({ attribute: name, negate });
      continue;
    }
    if (REFUSED.has(name)) throw ConfigError.at(line, `Match ${name} is not supported`);
    if (!WITH_ARGUMENT.has(name)) throw ConfigError.at(line, `Unsupported Match attribute ${word}`);
    const patterns = args.shift();
    if (patterns === undefined || patterns === '') throw ConfigError.at(line, `Missing Match criteria for ${word}`);
    criteria.push({ attribute: name as SshMatchAttribute, negate, patterns });
  }
  const all = criteria.findIndex((c) => c.attribute === 'all');
  if (all >= 0 && criteria.some((c) => c.attribute !== 'all' && c.attribute !== 'canonical' && c.attribute !== 'final')) {
    throw ConfigError.at(line, "'all' cannot be combined with other Match attributes");
  }
  return { kind: 'match', criteria };
}

/** True when some Match line asks for the final pass. */
export function wantsFinalPass(cond: SshCondition): boolean {
  return cond.kind === 'match' && cond.criteria.some((c) => c.attribute === 'final' || c.attribute === 'canonical');
}

/** Host: some pattern matches and no negated one does. */
function hostLineMatches(patterns: readonly string[], host: string): boolean {
  const subject = host.toLowerCase();
  let found = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (matchPattern(subject, (negated ? p.slice(1) : p).toLowerCase())) {
      if (negated) return false;
      found = true;
    }
  }
  return found;
}

function criterionHolds(c: SshMatchCriterion, s: SshMatchState): boolean {
  const patterns = c.patterns ?? '';
  switch (c.attribute) {
    case 'all':
      return true;
    case 'canonical':
    case 'final':
      return s.finalPass;
    case 'host':
      return matchHostList(s.host, patterns) === 1;
    case 'originalhost':
      return matchHostList(s.originalHost, patterns) === 1;
    case 'user':
      return matchPatternList(s.user, patterns) === 1;
    case 'localuser':
      return matchPatternList(s.localUser, patterns) === 1;
  }
}

export function sshConditionApplies(cond: SshCondition, s: SshMatchState): boolean {
  if (cond.kind === 'host') return hostLineMatches(cond.patterns, s.finalPass ? s.host : s.originalHost);
  return cond.criteria.every((c) => criterionHolds(c, s) !== c.negate);
}
