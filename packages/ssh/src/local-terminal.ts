// The local terminal during an interactive session: raw mode while a remote pty is in use, restored on every
// way out (normal end, error, signal, process exit); and the pty-req that describes it to the server.
import { spawnSync } from 'node:child_process';
import type { ChannelRequest } from '@tssh/ssh-protocol/connection';
import { encodeTerminalModes } from '@tssh/ssh-protocol/connection';
import type { ClientLogger } from './client-log.js';
import { localTerminalModes } from './stty-modes.js';

export class LocalTerminal {
  private raw = false;
  private readonly restoreOnExit = (): void => this.restore();

  constructor(private readonly log: ClientLogger) {}

  get isRaw(): boolean {
    return this.raw;
  }

  /**
   * Puts stdin's terminal in raw mode (no echo, no line editing, no signals from keys): keys go to the server.
   * Output processing goes off too, as ssh's enter_raw_mode does, so that the remote pty's output reaches the
   * screen unchanged (Node's raw mode keeps ONLCR; `stty -opost` clears it, and leaving raw mode restores it).
   */
  enterRawMode(): void {
    if (this.raw || !process.stdin.isTTY) return;
    process.stdin.setRawMode(true);
    const stty = spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
    if (stty.status !== 0) this.log.debug('stty -opost failed: output processing stays on');
    this.raw = true;
    this.log.setRawTerminal(true);
    process.on('exit', this.restoreOnExit);
  }

  /**
   * ssh's `~^Z`: the terminal goes back to normal and tssh stops as a job (SIGTSTP to itself, which takes
   * effect before the kill returns); once continued, raw mode comes back. In an orphaned process group the
   * kernel discards the stop and the session simply goes on.
   */
  suspend(): void {
    const wasRaw = this.raw;
    this.restore();
    process.kill(process.pid, 'SIGTSTP');
    if (wasRaw) this.enterRawMode();
  }

  /** Back to the mode the terminal had; safe to call any number of times. */
  restore(): void {
    if (!this.raw) return;
    this.raw = false;
    this.log.setRawTerminal(false);
    process.off('exit', this.restoreOnExit);
    try {
      process.stdin.setRawMode(false);
    } catch {
      // stdin is already gone: there is nothing left to restore
    }
  }
}

/** The window size to report: the local terminal's, else 80x24. */
export function windowSize(): { cols: number; rows: number } {
  const out = process.stdout.isTTY ? process.stdout : process.stderr.isTTY ? process.stderr : undefined;
  return { cols: out?.columns || 80, rows: out?.rows || 24 };
}

/** RFC 4254 §6.2 pty-req with $TERM, the window size and the local terminal's modes (see stty-modes.ts). */
export function ptyRequest(): ChannelRequest {
  const { cols, rows } = windowSize();
  return {
    kind: 'pty-req',
    term: process.env.TERM ?? '',
    cols,
    rows,
    widthPx: 0,
    heightPx: 0,
    modes: encodeTerminalModes(localTerminalModes()),
  };
}

/** RFC 4254 §6.7 window-change for the current size. */
export function windowChangeRequest(): ChannelRequest {
  const { cols, rows } = windowSize();
  return { kind: 'window-change', cols, rows, widthPx: 0, heightPx: 0 };
}
