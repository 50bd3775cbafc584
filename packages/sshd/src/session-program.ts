// What a session channel runs (a command, a shell, a subsystem) once started, seen from the channel: how to
// signal it, resize its terminal, and how its end is reported (RFC 4254 §6.10).
import type { Channel } from '@tssh/ssh-protocol/connection';
import type { TerminalSize } from './pseudo-terminal.js';

export interface ProgramExit {
  /** The exit code, or undefined when a signal ended the program. */
  code: number | undefined;
  /** The signal's name without "SIG", when one ended it. */
  signal: string | undefined;
}

export interface RunningProgram {
  /** The terminal it runs on ("pts/3"), if any. */
  readonly tty?: string;
  /** RFC 4254 §6.9; false when there is nothing to signal any more. */
  signal(signal: NodeJS.Signals): boolean;
  /** RFC 4254 §6.7; false without a terminal. */
  resize(size: TerminalSize): boolean;
  /** The channel closed under it: hang up (SIGHUP), as when a terminal line drops. */
  hangup(): void;
}

/**
 * exit-status, or exit-signal with the signal's name. Node reports a signal but not whether a core was dumped
 * (WCOREDUMP), so "core dumped" is always false.
 */
export function reportExit(channel: Channel, exit: ProgramExit): void {
  if (exit.signal !== undefined) {
    void channel.request({ kind: 'exit-signal', signal: exit.signal, coreDumped: false, message: '', language: '' }, false);
  } else {
    void channel.request({ kind: 'exit-status', status: exit.code ?? 255 }, false);
  }
}
