// tssh's log lines, over winston, on stderr like ssh's: bare text for fatal, error, warnings and info; `debug1: `
// (2, 3) in front of debug messages. LogLevel (or -q, -v) decides what is shown. While the local terminal is in
// raw mode a line ends with "\r\n", as ssh writes it, so that it starts at the left margin.
import { createLogger, format, transports } from 'winston';
import type { Logger } from '@tssh/ssh-protocol/wire';

/** OpenSSH's log levels (log.c); DEBUG is DEBUG1. */
export type ClientLogLevel = 'QUIET' | 'FATAL' | 'ERROR' | 'INFO' | 'VERBOSE' | 'DEBUG1' | 'DEBUG2' | 'DEBUG3';

export interface ClientLogger extends Logger {
  fatal(message: string, fields?: Record<string, unknown>): void;
  /** `debug` is OpenSSH's debug1. */
  debug2(message: string, fields?: Record<string, unknown>): void;
  debug3(message: string, fields?: Record<string, unknown>): void;
  readonly level: ClientLogLevel;
  setLevel(level: ClientLogLevel): void;
  /** Whether a message at `level` would be shown. */
  shows(level: Exclude<ClientLogLevel, 'QUIET'>): boolean;
  /** The terminal is in raw mode: end lines with CR LF. */
  setRawTerminal(raw: boolean): void;
}

// Winston's severities, most severe first. ssh has no "warn" level: warnings are logged at error level.
const SEVERITIES = Object.freeze({ fatal: 0, error: 1, info: 2, verbose: 3, debug1: 4, debug2: 5, debug3: 6 });
type Severity = keyof typeof SEVERITIES;

const THRESHOLD: Readonly<Record<Exclude<ClientLogLevel, 'QUIET'>, Severity>> = Object.freeze({
  FATAL: 'fatal',
  ERROR: 'error',
  INFO: 'info',
  VERBOSE: 'verbose',
  DEBUG1: 'debug1',
  DEBUG2: 'debug2',
  DEBUG3: 'debug3',
});

const PREFIX: Readonly<Partial<Record<Severity, string>>> = { debug1: 'debug1: ', debug2: 'debug2: ', debug3: 'debug3: ' };

const MESSAGE = Symbol.for('message'); // winston's key for the rendered line

interface LogInfo {
  level: string;
  message: unknown;
  [MESSAGE]?: string;
}

/** The level for -q / -v counts, when LogLevel does not say otherwise. */
export function levelFromFlags(quiet: boolean, verbose: number): ClientLogLevel | undefined {
  if (verbose > 0) return (['DEBUG1', 'DEBUG2', 'DEBUG3'] as const)[Math.min(verbose, 3) - 1];
  return quiet ? 'QUIET' : undefined;
}

export function createClientLogger(level: ClientLogLevel, stream: NodeJS.WritableStream = process.stderr): ClientLogger {
  let raw = false;
  const line = format((info) => {
    const i = info as LogInfo;
    i[MESSAGE] = `${PREFIX[i.level as Severity] ?? ''}${String(i.message)}${raw ? '\r' : ''}`;
    return info;
  });
  const w = createLogger({
    levels: SEVERITIES,
    format: line(),
    transports: [new transports.Stream({ stream, eol: '\n' })],
    exitOnError: false,
  });
  let current = level;
  const apply = (l: ClientLogLevel): void => {
    w.silent = l === 'QUIET';
    if (l !== 'QUIET') w.level = THRESHOLD[l];
  };
  apply(level);
  const at =
    (severity: Severity) =>
    (message: string, fields?: Record<string, unknown>): void => {
      w.log({ level: severity, message, fields });
    };
  return {
    fatal: at('fatal'),
    error: at('error'),
    warn: at('error'),
    info: at('info'),
    verbose: at('verbose'),
    debug: at('debug1'),
    debug2: at('debug2'),
    debug3: at('debug3'),
    get level() {
      return current;
    },
    setLevel(l) {
      current = l;
      apply(l);
    },
    shows(l) {
      return current !== 'QUIET' && SEVERITIES[THRESHOLD[l]] <= SEVERITIES[THRESHOLD[current]];
    },
    setRawTerminal(r) {
      raw = r;
    },
  };
}
