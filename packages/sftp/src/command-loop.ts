// Reading commands: at the `sftp> ` prompt when stdin is a terminal, else line by line from a batch file or a
// pipe, each echoed after the prompt as OpenSSH's sftp does. In batch mode (-b) the first failure that the line
// did not excuse with a leading "-" ends the loop.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { runLine } from './command-runner.js';
import type { SessionState } from './session-state.js';

export const PROMPT = 'sftp> ';

export interface LoopOptions {
  readonly input: Readable;
  /** A terminal to prompt on. */
  readonly interactive: boolean;
  /** -b: a failure ends the loop. */
  readonly batch: boolean;
}

/** Runs commands until the input ends or `quit`; false when a batch stopped at a failure. */
export async function commandLoop(s: SessionState, o: LoopOptions): Promise<boolean> {
  if (o.interactive) return promptLoop(s, o.input);
  const lines = createInterface({ input: o.input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      s.print(`${PROMPT}${line}`);
      const r = await runLine(s, line);
      if (r.outcome === 'quit') return true;
      if (r.outcome === 'failed' && o.batch && !r.ignoreErrors) return false;
    }
    return true;
  } finally {
    lines.close();
  }
}

async function promptLoop(s: SessionState, input: Readable): Promise<boolean> {
  const rl = createInterface({ input, output: process.stdout, prompt: PROMPT, terminal: true, historySize: 100 });
  // ^C at the prompt abandons the line, as it does in sftp; it does not end the program.
  rl.on('SIGINT', () => {
    process.stdout.write('\n');
    rl.prompt();
  });
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (;;) {
      rl.prompt();
      const next = await lines.next();
      if (next.done) {
        process.stdout.write('\n');
        return true;
      }
      rl.pause();
      const r = await interruptible(s, input, () => runLine(s, next.value));
      rl.resume();
      if (r.outcome === 'quit') return true;
    }
  } finally {
    rl.close();
  }
}

/**
 * Runs a command with ^C as an interrupt, as sftp does: the terminal leaves raw mode so that ^C is a signal,
 * which prints "Interrupt" and aborts the command (its transfer stops, what arrived whole is kept).
 */
async function interruptible<T>(s: SessionState, input: Readable, run: () => Promise<T>): Promise<T> {
  const tty = input as Readable & { isTTY?: boolean; setRawMode?(raw: boolean): void };
  const controller = new AbortController();
  const onInterrupt = (): void => {
    process.stderr.write('\rInterrupt  \n');
    controller.abort();
  };
  s.signal = controller.signal;
  if (tty.isTTY) tty.setRawMode?.(false);
  process.on('SIGINT', onInterrupt);
  try {
    return await run();
  } finally {
    process.off('SIGINT', onInterrupt);
    if (tty.isTTY) tty.setRawMode?.(true);
    s.signal = undefined;
  }
}
