// PerSourcePenalties (OpenSSH 9.8, sshd_config(5)): how long a source address is refused after its connections
// crash a worker, fail authentication, never authenticate or exceed LoginGraceTime. Each item of each line is
// set once: the first value of an item wins, as everywhere in sshd_config.

import { invalidAddressEntry } from './address-match.js';
import { ConfigError } from './config-error.js';
import type { ConfigLine } from './lexer.js';
import { oneArg, parseDecimal, parseTime } from './value-parsers.js';

export type PenaltyOverflow = 'deny-all' | 'permissive';

/** Every item of PerSourcePenalties; times in seconds. */
export interface PenaltySettings {
  readonly enabled: boolean;
  readonly crash: number;
  readonly authfail: number;
  readonly invaliduser: number;
  readonly noauth: number;
  readonly graceExceeded: number;
  readonly refuseConnection: number;
  /** A penalty never grows beyond this. */
  readonly max: number;
  /** A source is refused only once its accumulated penalty exceeds this. */
  readonly min: number;
  readonly maxSources4: number;
  readonly maxSources6: number;
  readonly overflow: PenaltyOverflow;
  readonly overflow6: PenaltyOverflow;
}

/** What the lines said; an item no line named is absent and takes its default. */
export type PerSourcePenalties = Partial<PenaltySettings>;

export const PENALTY_DEFAULTS: PenaltySettings = Object.freeze({
  enabled: true,
  crash: 90,
  authfail: 5,
  invaliduser: 5,
  noauth: 1,
  graceExceeded: 10,
  refuseConnection: 10,
  max: 600,
  min: 15,
  maxSources4: 65536,
  maxSources6: 65536,
  overflow: 'permissive',
  overflow6: 'permissive',
});

type TimeItem = 'crash' | 'authfail' | 'invaliduser' | 'noauth' | 'graceExceeded' | 'refuseConnection' | 'max' | 'min';

// The words of the config file and the fields they set, in the order `sshd -T` prints them.
const TIME_ITEMS: readonly (readonly [string, TimeItem])[] = [
  ['crash', 'crash'],
  ['authfail', 'authfail'],
  ['invaliduser', 'invaliduser'],
  ['noauth', 'noauth'],
  ['grace-exceeded', 'graceExceeded'],
  ['refuseconnection', 'refuseConnection'],
  ['max', 'max'],
  ['min', 'min'],
];

/** One PerSourcePenalties line: `yes` or `no` alone, or items such as `authfail:30s max:1h overflow:deny-all`. */
export function parsePerSourcePenalties(line: ConfigLine): PerSourcePenalties {
  const first = line.args[0].toLowerCase();
  if (first === 'yes' || first === 'no') {
    if (line.args.length > 1) throw ConfigError.at(line, `keyword ${line.keyword} "${line.args[0]}" argument must appear alone.`);
    return { enabled: first === 'yes' };
  }
  const out: Record<string, unknown> = {};
  for (const arg of line.args) {
    const cut = arg.indexOf(':');
    const word = cut < 0 ? arg : arg.slice(0, cut);
    const value = cut < 0 ? '' : arg.slice(cut + 1);
    const time = TIME_ITEMS.find(([w]) => w === word);
    if (time) {
      const seconds = parseTime(value);
      if (seconds === undefined) throw ConfigError.at(line, `invalid ${line.keyword} time value.`);
      out[time[1]] ??= seconds;
    } else if (word === 'max-sources4' || word === 'max-sources6') {
      const n = parseDecimal(value);
      if (n === undefined) throw ConfigError.at(line, `${line.keyword} value invalid.`);
      out[word === 'max-sources4' ? 'maxSources4' : 'maxSources6'] ??= n;
    } else if ((word === 'overflow' || word === 'overflow6') && (value === 'deny-all' || value === 'permissive')) {
      out[word] ??= value;
    } else {
      throw ConfigError.at(line, `unsupported ${line.keyword} keyword ${arg}`);
    }
  }
  // Naming any item turns penalties on, as in sshd.
  return { enabled: true, ...out };
}

/** Later lines only fill items that earlier lines left unset. */
export function mergePerSourcePenalties(prev: PerSourcePenalties, next: PerSourcePenalties): PerSourcePenalties {
  const out: Record<string, unknown> = { ...next };
  for (const [k, v] of Object.entries(prev)) if (v !== undefined) out[k] = v;
  return out as PerSourcePenalties;
}

/** The settings in force: what the lines said, defaults for the rest (overflow6 follows overflow). */
export function resolvePenalties(p: PerSourcePenalties): PenaltySettings {
  const overflow = p.overflow ?? PENALTY_DEFAULTS.overflow;
  return { ...PENALTY_DEFAULTS, ...definedOnly(p), overflow, overflow6: p.overflow6 ?? overflow };
}

function definedOnly(p: PerSourcePenalties): PerSourcePenalties {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as PerSourcePenalties;
}

/** The `sshd -T` value: `no`, or every item with its value. */
export function formatPerSourcePenalties(p: PerSourcePenalties): string {
  const s = resolvePenalties(p);
  if (!s.enabled) return 'no';
  const items = TIME_ITEMS.map(([word, field]) => `${word}:${s[field]}s`);
  items.push(`max-sources4:${s.maxSources4}`, `max-sources6:${s.maxSources6}`, `overflow:${s.overflow}`, `overflow6:${s.overflow6}`);
  return items.join(' ');
}

/** PerSourcePenaltyExemptList: an address list (CIDR blocks or patterns), or `none`. */
export function parsePenaltyExemptList(line: ConfigLine): string | undefined {
  const list = oneArg(line);
  if (list.toLowerCase() === 'none') return undefined;
  if (invalidAddressEntry(list) !== undefined) throw ConfigError.at(line, `keyword ${line.keyword} invalid address argument.`);
  return list;
}
