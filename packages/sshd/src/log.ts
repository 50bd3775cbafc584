// Logging for the server programs (tsshd, tsshd-session), over winston.
//
// Levels are OpenSSH's LogLevel. Text lines read like OpenSSH's: with -e just the message, with `debugN: ` in
// front of debug messages; to a -E file each line carries an ISO time, the program and its pid; to syslog (the
// default, as with sshd) each line carries its priority for SyslogFacility. JSON lines (LogFormat json) carry the
// structured fields. Where lines go is one small function, `openDestination`.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Stream } from 'node:stream';
import { Writable } from 'node:stream';
import { createLogger, format, transports } from 'winston';
import type { Logger } from '@tssh/ssh-protocol/wire';
import { openSyslog, syslogPrefix } from './syslog.js';
import type { SyslogSeverity } from './syslog.js';

export type ServerProgram = 'tsshd' | 'tsshd-session';
export type ServerLogLevel = 'QUIET' | 'FATAL' | 'ERROR' | 'INFO' | 'VERBOSE' | 'DEBUG' | 'DEBUG1' | 'DEBUG2' | 'DEBUG3';
export type LogFormat = 'text' | 'json';

export const SERVER_LOG_LEVELS: readonly ServerLogLevel[] = Object.freeze([
  'QUIET', 'FATAL', 'ERROR', 'INFO', 'VERBOSE', 'DEBUG', 'DEBUG1', 'DEBUG2', 'DEBUG3',
]);

/** Where lines go. */
export type LogDestination =
  | { kind: 'stderr'; stamped: boolean }
  | { kind: 'file'; path: string }
  /** Our own logger(1) process. */
  | { kind: 'syslog'; facility: string }
  /** fd 2 is tsshd's syslog pipe (a worker started by tsshd): `<PRI>program[pid]: message` lines. */
  | { kind: 'syslog-pipe'; facility: string };

export interface ServerLoggerOptions {
  program: ServerProgram;
  level: ServerLogLevel;
  /** Where lines go; without it, `file` if given, else stderr (bare lines with `stderr`, stamped ones without). */
  destination?: LogDestination;
  /** -e / -d: bare OpenSSH-style lines on stderr. */
  stderr?: boolean;
  /** -E FILE: append to this file (it wins over `stderr`). */
  file?: string;
  format: LogFormat;
}

/**
 * How tsshd tells a worker where its fd 2 leads when the worker's command line cannot: `stderr` (stamped lines, as
 * the listener's own with -D) or `syslog:FACILITY` (the listener's syslog pipe).
 */
export const LOG_TO_ENV = 'TSSHD_LOG_TO';

/**
 * -E FILE, else bare lines on stderr with -e or -d, else stamped lines on stderr in the foreground (-D), else
 * syslog (a daemon, or a worker under inetd). A worker started by tsshd follows what LOG_TO_ENV says (the variable
 * is removed, so that nothing the worker starts inherits it).
 */
export function logDestination(
  args: { stderr: boolean; logFile: string | undefined; foreground?: boolean },
  facility: string,
  env: NodeJS.ProcessEnv = process.env,
): LogDestination {
  const inherited = env[LOG_TO_ENV];
  delete env[LOG_TO_ENV];
  if (args.logFile !== undefined) return { kind: 'file', path: args.logFile };
  if (args.stderr) return { kind: 'stderr', stamped: false };
  if (args.foreground || inherited === 'stderr') return { kind: 'stderr', stamped: true };
  if (inherited?.startsWith('syslog:')) return { kind: 'syslog-pipe', facility: inherited.slice('syslog:'.length) };
  return { kind: 'syslog', facility };
}

export interface ServerLogger extends Logger {
  fatal(message: string, fields?: Record<string, unknown>): void;
  /** `debug` is OpenSSH's debug1. */
  debug2(message: string, fields?: Record<string, unknown>): void;
  debug3(message: string, fields?: Record<string, unknown>): void;
  readonly level: ServerLogLevel;
  setLevel(level: ServerLogLevel): void;
  /** Where lines are written, to hand to a child as its stderr (a descriptor or a pipe). */
  readonly fd: number | Stream;
  /** Set in a child's environment along with `fd` as its stderr (the syslog pipe); empty otherwise. */
  readonly childEnv: Readonly<Record<string, string>>;
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

/** How lines are written: bare, stamped with time and program, or with a syslog priority and the program. */
type LineStyle = { kind: 'bare' } | { kind: 'stamped' } | { kind: 'syslog'; facility: string; tagged: boolean };

interface OpenDestination {
  stream: NodeJS.WritableStream;
  fd: number | Stream;
  style: LineStyle;
  childEnv: Record<string, string>;
  close(): void;
}

function openDestination(dest: LogDestination, program: ServerProgram): OpenDestination {
  switch (dest.kind) {
    case 'stderr':
      return {
        stream: process.stderr,
        fd: 2,
        style: { kind: dest.stamped ? 'stamped' : 'bare' },
        childEnv: dest.stamped ? { [LOG_TO_ENV]: 'stderr' } : {},
        close() {},
      };
    case 'syslog': {
      const pipe = openSyslog(program);
      return {
        stream: pipe.stream,
        fd: pipe.stdio,
        style: { kind: 'syslog', facility: dest.facility, tagged: false },
        childEnv: { [LOG_TO_ENV]: `syslog:${dest.facility}` },
        close: () => pipe.close(),
      };
    }
    case 'syslog-pipe':
      return {
        stream: process.stderr,
        fd: 2,
        style: { kind: 'syslog', facility: dest.facility, tagged: true },
        childEnv: { [LOG_TO_ENV]: `syslog:${dest.facility}` },
        close() {},
      };
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
      return { stream, fd, style: { kind: 'stamped' }, childEnv: {}, close: () => closeSync(fd) };
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

// OpenSSH's log.c: FATAL is LOG_CRIT, ERROR LOG_ERR, INFO and VERBOSE LOG_INFO, the DEBUG levels LOG_DEBUG.
const SYSLOG_SEVERITY: Readonly<Record<Severity, SyslogSeverity>> = Object.freeze({
  fatal: 'crit',
  error: 'err',
  warn: 'warning',
  info: 'info',
  verbose: 'info',
  debug1: 'debug',
  debug2: 'debug',
  debug3: 'debug',
});

function renderer(program: ServerProgram, fmt: LogFormat, style: LineStyle): (info: LogInfo) => string {
  const pid = process.pid;
  const body: (info: LogInfo) => string =
    fmt === 'json'
      ? (info) =>
          jsonLine({
            ...info.fields,
            time: new Date().toISOString(),
            program,
            pid,
            level: info.level,
            message: String(info.message),
          })
      : style.kind === 'bare'
        ? (info) => `${BARE_PREFIX[info.level as Severity] ?? ''}${String(info.message)}`
        : (info) => `${STAMPED_PREFIX[info.level as Severity] ?? ''}${String(info.message)}`;
  switch (style.kind) {
    case 'bare':
      return body;
    case 'stamped':
      return fmt === 'json' ? body : (info) => `${new Date().toISOString()} ${program}[${pid}]: ${body(info)}`;
    case 'syslog': {
      // syslog adds the time; on tsshd's shared pipe a worker names itself, since the pipe's tag is tsshd's.
      const tag = style.tagged ? `${program}[${pid}]: ` : '';
      return (info) => `${syslogPrefix(style.facility, SYSLOG_SEVERITY[info.level as Severity])}${tag}${body(info).replace(/\n/g, ' ')}`;
    }
    default:
      return assertNever(style);
  }
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
  const dest: LogDestination =
    options.destination ??
    (options.file !== undefined ? { kind: 'file', path: options.file } : { kind: 'stderr', stamped: !options.stderr });
  const out = openDestination(dest, options.program);
  const render = renderer(options.program, options.format, out.style);
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
    childEnv: out.childEnv,
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
