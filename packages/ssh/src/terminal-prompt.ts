// Questions asked on the controlling terminal (/dev/tty), never on stdin/stdout, as ssh's read_passphrase does:
// the host key question with echo, passphrases and passwords without. Without a terminal there is nobody to ask.
import { openSync, writeSync } from 'node:fs';
import { ReadStream, isatty } from 'node:tty';

/** There is no controlling terminal to ask on. */
export class NoTerminalError extends Error {
  override name = 'NoTerminalError';
  constructor() {
    super('no terminal to ask on');
  }
}

/**
 * Asks the user a question. The terminal's, or (for `-f`) one that forwards the question to the process still
 * holding the terminal. Throws NoTerminalError when there is nobody to ask; undefined at end of input.
 */
export interface Prompter {
  ask(prompt: string, echo: boolean): Promise<string | undefined>;
}

export const terminalPrompter: Prompter = { ask: (prompt, echo) => askTerminal(prompt, echo) };

/** Asks; undefined when there is no terminal or the user gave up. */
export async function askOrGiveUp(prompter: Prompter, prompt: string, echo: boolean): Promise<string | undefined> {
  try {
    return await prompter.ask(prompt, echo);
  } catch (e) {
    if (e instanceof NoTerminalError) return undefined;
    throw e;
  }
}

interface Terminal {
  readonly fd: number;
  readonly input: ReadStream;
}

function openTerminal(): Terminal {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new NoTerminalError();
  }
  if (!isatty(fd)) throw new NoTerminalError();
  return { fd, input: new ReadStream(fd) };
}

/** Whether a controlling terminal can be opened. */
export function hasTerminal(): boolean {
  try {
    const t = openTerminal();
    t.input.destroy();
    return true;
  } catch {
    return false;
  }
}

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';
const BACKSPACE = new Set(['\x08', '\x7f']);

/**
 * Writes `prompt` to the terminal and reads one line. With `echo` the terminal edits the line (canonical
 * mode); without, the terminal is put in raw mode and the line is edited here. Resolves undefined on end of
 * input (^D). ^C restores the terminal and ends the process by SIGINT, as readpassphrase(3) does.
 */
export function askTerminal(prompt: string, echo: boolean): Promise<string | undefined> {
  const tty = openTerminal();
  // Echo goes off before the prompt shows, so that nothing typed after it can be echoed.
  if (!echo) tty.input.setRawMode(true);
  writeSync(tty.fd, prompt);
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    const finish = (answer: string | undefined): void => {
      if (done) return;
      done = true;
      if (!echo) {
        tty.input.setRawMode(false);
        writeSync(tty.fd, '\n');
      }
      tty.input.destroy();
      resolve(answer);
    };
    tty.input.setEncoding('utf8');
    tty.input.on('data', (chunk: string) => {
      for (const c of chunk) {
        if (done) return;
        if (c === '\r' || c === '\n') return finish(text);
        if (echo) {
          text += c;
        } else if (c === CTRL_C) {
          finish(undefined);
          process.kill(process.pid, 'SIGINT');
        } else if (c === CTRL_D) {
          if (text === '') finish(undefined);
        } else if (c === CTRL_U) {
          text = '';
        } else if (BACKSPACE.has(c)) {
          text = text.slice(0, -1);
        } else {
          text += c;
        }
      }
    });
    tty.input.on('end', () => finish(echo && text !== '' ? text : undefined));
    tty.input.on('error', () => finish(undefined));
  });
}
