// Logging for the server programs (tsshd, tsshd-session), over winston.
//
// Levels are OpenSSH's LogLevel. Text lines read like OpenSSH's: with -e just the message, with `debugN: ` in
// front of debug messages; to a -E file (or to stderr without -e, until syslog exists) each line carries an ISO
// time, the program and its pid. JSON lines carry the structured fields. Where lines go is one small function,
// `openDestination`, so that a syslog destination is one more case there.
import { closeSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createLogger, format, transports } from 'winston';
import type { Logger } from '@tssh/ssh-protocol/wire';

export type ServerProgram = 'tsshd' | 'tsshd-session';
export type ServerLogLevel = 'QUIET' | 'FATAL' | 'ERROR' | 'INFO' | 'VERBOSE' | 'DEBUG' | 'DEBUG1' | 'DEBUG2' | 'DEBUG3';
export type LogFormat = 'text' | 'json';

export const SERVER_LOG_LEVELS: readonly ServerLogLevel[] = Object.freeze([
  'QUIET', 'FATAL', 'ERROR', 'INFO', 'VERBOSE', 'DEBUG', 'DEBUG1', 'DEBUG2', 'DEBUG3',
]);

export interface ServerLoggerOptions {
  program: ServerProgram;
  level: ServerLogLevel;
  /** -e / -d: bare OpenSSH-style lines on stderr. */
  stderr: boolean;
  /** -E FILE: append to this file (it wins over `stderr`). */
  file?: string;
  format: LogFormat;
}

export interface ServerLogger extends Logger {
  fatal(message: string, fields?: Record<string, unknown>): void;
  /** `debug` is OpenSSH's debug1. */
  debug2(message: string, fields?: Record<string, unknown>): void;
  debug3(message: string, fields?: Record<string, unknown>): void;
  readonly level: ServerLogLevel;
  setLevel(level: ServerLogLevel): void;
  /** The file descriptor lines are written to, to hand to a child as its stderr. */
  readonly fd: number;
  /** Stops logging and closes a -E file. */
  close(): void;
}

/** Parses a LogLevel keyword, case-insensitively, as sshd_config and -o give it. */
export function parseLogLevel(text: string): ServerLogLevel | undefined {
  const upper = text.toUpperCase();
  return SERVER_LOG_LEVELS.find((l) => l === upper);
}

// Winston's severities, most severe first. OpenSSH has no "warn": it sits between error and info, so LogLevel
// ERROR hides warnings and INFO shows them.
const SEVERITIES = Object.freeze({ fatal: 0, error: 1, warn: 2, info: 3, verbose: 4, debug1: 5, debug2: 6, debug3: 7 });
type Severity = keyof typeof SEVERITIES;

const THRESHOLD: Readonly<Record<Exclude<ServerLogLevel, 'QUIET'>, Severity>> = Object.freeze({
  FATAL: 'fatal',
  ERROR: 'error',
  INFO: 'info',
  VERBOSE: 'verbose',
  DEBUG: 'debug1',
  DEBUG1: 'debug1',
  DEBUG2: 'debug2',
  DEBUG3: 'debug3',
});

// OpenSSH's log.c prefixes: debug levels always; fatal and error only when not writing to stderr.
const BARE_PREFIX: Readonly<Partial<Record<Severity, string>>> = { debug1: 'debug1: ', debug2: 'debug2: ', debug3: 'debug3: ' };
const STAMPED_PREFIX: Readonly<Partial<Record<Severity, string>>> = {
  ...BARE_PREFIX,
  fatal: 'fatal: ',
  error: 'error: ',
  warn: 'warning: ',
};

/** Where lines go. A syslog destination will be one more member. */
type Destination = { kind: 'stderr'; stamped: boolean } | { kind: 'file'; path: string };

interface OpenDestination {
  stream: NodeJS.WritableStream;
  fd: number;
  stamped: boolean;
  close(): void;
}

function openDestination(dest: Destination): OpenDestination {
  switch (dest.kind) {
    case 'stderr':
      return { stream: process.stderr, fd: 2, stamped: dest.stamped, close() {} };
    case 'file': {
      let fd: number;
      try {
        fd = openSync(dest.path, 'a', 0o600);
      } catch (err) {
        throw new Error(`Couldn't open logfile ${dest.path}: ${(err as Error).message}`);
      }
      // Synchronous appends: a line logged just before exit is never lost.
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          try {
            writeSync(fd, chunk);
            done();
          } catch (err) {
            done(err as Error);
          }
        },
      });
      stream.on('error', () => {}); // a full disk must not bring the daemon down
      return { stream, fd, stamped: true, close: () => closeSync(fd) };
    }
    default:
      return assertNever(dest);
  }
}

const MESSAGE = Symbol.for('message'); // winston's key for the rendered line

interface LogInfo {
  level: string;
  message: unknown;
  fields?: Record<string, unknown>;
  [MESSAGE]?: string;
}

function renderer(program: ServerProgram, fmt: LogFormat, stamped: boolean): (info: LogInfo) => string {
  const pid = process.pid;
  if (fmt === 'json') {
    return (info) =>
      jsonLine({
        ...info.fields,
        time: new Date().toISOString(),
        program,
        pid,
        level: info.level,
        message: String(info.message),
      });
  }
  if (!stamped) return (info) => `${BARE_PREFIX[info.level as Severity] ?? ''}${String(info.message)}`;
  return (info) =>
    `${new Date().toISOString()} ${program}[${pid}]: ${STAMPED_PREFIX[info.level as Severity] ?? ''}${String(info.message)}`;
}

function jsonLine(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(record, jsonValue);
  } catch {
    // A cycle in the fields: keep the line, lose the fields.
    const { time, program, pid, level, message } = record;
    return JSON.stringify({ time, program, pid, level, message });
  }
}

function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (value instanceof Error) return value.message;
  return value;
}

export function createServerLogger(options: ServerLoggerOptions): ServerLogger {
  const dest: Destination =
    options.file !== undefined ? { kind: 'file', path: options.file } : { kind: 'stderr', stamped: !options.stderr };
  const out = openDestination(dest);
  const render = renderer(options.program, options.format, out.stamped);
  const line = format((info) => {
    (info as LogInfo)[MESSAGE] = render(info as LogInfo);
    return info;
  });
  const w = createLogger({
    levels: SEVERITIES,
    format: line(),
    transports: [new transports.Stream({ stream: out.stream, eol: '\n' })],
    exitOnError: false,
  });
  let level = options.level;
  const apply = (l: ServerLogLevel): void => {
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
    warn: at('warn'),
    info: at('info'),
    verbose: at('verbose'),
    debug: at('debug1'),
    debug2: at('debug2'),
    debug3: at('debug3'),
    get level() {
      return level;
    },
    setLevel(l) {
      level = l;
      apply(l);
    },
    fd: out.fd,
    close() {
      w.silent = true;
      w.close();
      out.close();
    },
  };
}

function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
