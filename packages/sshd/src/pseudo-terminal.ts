// A pseudo-terminal session (RFC 4254 §6.2) through node-pty: the child gets the slave as its controlling
// terminal, the worker reads and writes the master.
//
// node-pty runs `execvp(file, [file, ...args])`: it cannot give the program another argv[0] (a login shell is
// started as "-bash") nor set the client's terminal modes. So the child it starts is a small POSIX sh script
// that (1) applies the modes with stty(1) on its own terminal, (2) exports SSH_TTY from tty(1), and (3) execs
// the real program: POSIX sh's `exec` cannot set argv[0] and Node has no exec(), but Perl's
// `exec { PROGRAM } LIST` does, and perl is part of every Debian system (perl-base is Essential). Without perl
// a login shell gets `-l` instead, which bash, dash, zsh, ksh and fish all take as "login shell". Each step is
// an exec, so the pid node-pty reports is the user's program itself: signals reach it directly and its exit
// status is the session's.
import { constants } from 'node:os';
import { spawn as spawnPty, type IPty } from 'node-pty';

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface PseudoTerminalOptions {
  /** The program to run and its argv[0] ("-bash" for a login shell). */
  file: string;
  argv0: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string;
  /** TERM; empty means the client sent none. */
  term: string;
  size: TerminalSize;
  /** stty operands for the client's terminal modes. */
  sttyOperands: readonly string[];
}

export interface TerminalExit {
  /** The exit code, or undefined when a signal ended the program. */
  code: number | undefined;
  /** The signal's name without "SIG" (RFC 4254 §6.10), when one ended it. */
  signal: string | undefined;
}

/** The slave side is the child's; the worker sees the master as a byte stream. */
export interface PseudoTerminal {
  readonly pid: number;
  /** The slave's device name, e.g. /dev/pts/3. */
  readonly ttyName: string | undefined;
  write(data: Uint8Array): void;
  resize(size: TerminalSize): void;
  /** Stop / restart reading the master (flow control towards a full channel window). */
  pause(): void;
  resume(): void;
  onData(listener: (data: Uint8Array) => void): void;
  /** After the last output has been read. */
  onExit(listener: (exit: TerminalExit) => void): void;
  kill(signal: NodeJS.Signals): void;
}

// $1: stty operands; $2: program; $3: its argv[0]; the rest: its arguments. `set -f`: the operands are split
// into words on purpose (they are generated: names and hex numbers), never globbed.
const LOGIN_HELPER = `set -f
[ -z "$1" ] || stty $1 >/dev/null 2>&1
SSH_TTY=$(tty) && export SSH_TTY
program=$2 name=$3
shift 3
if command -v perl >/dev/null 2>&1; then
  exec perl -e 'my $p = shift @ARGV; exec { $p } @ARGV; die "$p: $!\\n"' -- "$program" "$name" "$@"
fi
case $name in -*) exec "$program" -l "$@" ;; esac
exec "$program" "$@"
`;

const SIGNAL_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(constants.signals as Record<string, number>).map(([name, n]) => [n, name.replace(/^SIG/, '')]),
);

/** A size node-pty accepts: a client may send 0 for "unknown", which becomes 80x24 (node-pty's default). */
function usable(size: TerminalSize): TerminalSize {
  const dim = (n: number, fallback: number): number => (n > 0 ? Math.min(n, 0xffff) : fallback);
  return { cols: dim(size.cols, 80), rows: dim(size.rows, 24) };
}

export function openPseudoTerminal(opts: PseudoTerminalOptions): PseudoTerminal {
  const size = usable(opts.size);
  const pty: IPty = spawnPty(
    '/bin/sh',
    ['-c', LOGIN_HELPER, 'tsshd-login', opts.sttyOperands.join(' '), opts.file, opts.argv0, ...opts.args],
    {
      name: opts.term || 'dumb',
      cols: size.cols,
      rows: size.rows,
      cwd: opts.cwd,
      env: { ...opts.env },
      encoding: null,
      handleFlowControl: false,
    },
  );
  return {
    pid: pty.pid,
    // UnixTerminal has it; node-pty's typings only describe what every platform has.
    ttyName: (pty as unknown as { ptsName?: string }).ptsName,
    write: (data) => pty.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength)),
    resize: (s) => {
      const u = usable(s);
      pty.resize(u.cols, u.rows);
    },
    pause: () => pty.pause(),
    resume: () => pty.resume(),
    onData: (listener) => {
      // With `encoding: null` node-pty hands over the Buffers it read, whatever its typings say.
      pty.onData((d) => listener(d as unknown as Uint8Array));
    },
    onExit: (listener) => {
      pty.onExit(({ exitCode, signal }) => {
        const name = signal ? SIGNAL_NAMES.get(signal) ?? `SIG${signal}` : undefined;
        listener(name ? { code: undefined, signal: name } : { code: exitCode, signal: undefined });
      });
    },
    kill: (signal) => {
      try {
        process.kill(pty.pid, signal);
      } catch {
        // Already gone; its exit is on the way.
      }
    },
  };
}
