// Value parsers shared by ssh_config and sshd_config, with OpenSSH's wording for errors.

import { ConfigError } from './config-error.js';
import type { ConfigLine } from './lexer.js';

/** The single argument of a keyword that takes exactly one. */
export function oneArg(line: ConfigLine): string {
  if (line.args.length > 1) {
    throw ConfigError.at(line, `keyword ${line.keyword} extra arguments at end of line`);
  }
  return line.args[0];
}

/** Chooses from a fixed table of words, case-insensitively. */
export function choiceArg<V>(line: ConfigLine, table: Readonly<Record<string, V>>): V {
  const word = oneArg(line);
  const key = word.toLowerCase();
  if (!Object.hasOwn(table, key)) throw ConfigError.at(line, `unsupported option "${word}".`);
  return table[key];
}

export const YES_NO: Readonly<Record<string, boolean>> = Object.freeze({ yes: true, no: false });
/** ssh_config also takes true/false where sshd_config takes only yes/no. */
export const YES_NO_TRUE_FALSE: Readonly<Record<string, boolean>> = Object.freeze({
  yes: true,
  no: false,
  true: true,
  false: false,
});

export function flagArg(line: ConfigLine, table = YES_NO): boolean {
  return choiceArg(line, table);
}

/** A non-negative decimal integer no larger than 2^31-1, else undefined. */
export function parseDecimal(text: string): number | undefined {
  if (!/^[0-9]{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 0x7fffffff ? n : undefined;
}

export function integerArg(line: ConfigLine, min = 0): number {
  const text = oneArg(line);
  const n = /^-[0-9]+$/.test(text) ? -Number(text.slice(1)) : parseDecimal(text);
  if (n === undefined) throw ConfigError.at(line, `${line.keyword} integer value invalid.`);
  if (n < min) throw ConfigError.at(line, `${line.keyword} integer value too small.`);
  return n;
}

/** A TCP port, 1..65535. */
export function parsePort(text: string): number | undefined {
  const n = parseDecimal(text);
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

const TIME_UNITS: Readonly<Record<string, number>> = Object.freeze({
  '': 1,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
});

/** OpenSSH time format (misc.c convtime): `120`, `2m`, `1h30m`, `1w2d`; seconds, undefined if invalid. */
export function parseTime(text: string): number | undefined {
  if (text === '') return undefined;
  let total = 0;
  const re = /([0-9]+)([sSmMhHdDwW]?)/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * TIME_UNITS[m[2].toLowerCase()];
    if (total > 0x7fffffff) return undefined;
    pos = re.lastIndex;
  }
  return total;
}

export function timeArg(line: ConfigLine, text = oneArg(line)): number {
  const t = parseTime(text);
  if (t === undefined) throw ConfigError.at(line, 'invalid time value.');
  return t;
}

const SIZE_UNITS = 'BKMGTPE';

/** A byte count with an optional binary unit, as OpenBSD scan_scaled reads it: `1G`, `512K`, `1.5M`. */
export function parseSize(text: string): number | undefined {
  const m = /^([0-9]+)(?:\.([0-9]+))?([bBkKmMgGtTpPeE]?)$/.exec(text);
  if (!m) return undefined;
  const scale = 1024 ** Math.max(0, SIZE_UNITS.indexOf(m[3].toUpperCase()));
  const value = Math.floor(Number(`${m[1]}.${m[2] ?? '0'}`) * scale);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** `RekeyLimit default|SIZE [none|default|TIME]`; zero means "per cipher" and "no time limit". */
export interface RekeyLimit {
  readonly bytes: number;
  readonly seconds: number;
}

export function rekeyLimitArg(line: ConfigLine): RekeyLimit {
  const [size, time, ...extra] = line.args;
  if (extra.length > 0) throw ConfigError.at(line, `keyword ${line.keyword} extra arguments at end of line`);
  let bytes = 0;
  if (size !== 'default') {
    const n = parseSize(size);
    if (n === undefined) throw ConfigError.at(line, `Bad ${line.keyword} number '${size}': Invalid argument`);
    if (n !== 0 && n < 16) throw ConfigError.at(line, `${line.keyword} too small`);
    bytes = n;
  }
  const seconds = time === undefined || time === 'none' || time === 'default' ? 0 : timeArg(line, time);
  return { bytes, seconds };
}

/** OpenSSH log levels (log.c); DEBUG is an alias of DEBUG1. */
export type LogLevel = 'QUIET' | 'FATAL' | 'ERROR' | 'INFO' | 'VERBOSE' | 'DEBUG1' | 'DEBUG2' | 'DEBUG3';

const LOG_LEVELS: Readonly<Record<string, LogLevel>> = Object.freeze({
  quiet: 'QUIET',
  fatal: 'FATAL',
  error: 'ERROR',
  info: 'INFO',
  verbose: 'VERBOSE',
  debug: 'DEBUG1',
  debug1: 'DEBUG1',
  debug2: 'DEBUG2',
  debug3: 'DEBUG3',
});

export function logLevelArg(line: ConfigLine): LogLevel {
  const word = oneArg(line);
  if (!Object.hasOwn(LOG_LEVELS, word.toLowerCase())) throw ConfigError.at(line, `unsupported log level '${word}'`);
  return LOG_LEVELS[word.toLowerCase()];
}

/** A path or command where the word `none` means "unset". */
export function noneOr(text: string): string | undefined {
  return text.toLowerCase() === 'none' ? undefined : text;
}
