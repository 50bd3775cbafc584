// Questions on the terminal: passphrases without echo (like readpassphrase(3)), and plain lines with echo.
// Only asked when stdin is a terminal; callers decide what happens otherwise.
import { createInterface } from 'node:readline';

export function onTerminal(): boolean {
  return process.stdin.isTTY === true;
}

/** Read one line without echo. ^C ends the program as SIGINT would; ^U clears; backspace deletes. */
export function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  // Echo goes off before the prompt shows, so that nothing typed after seeing it is ever echoed.
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.resume();
  return new Promise((resolve) => {
    let text = '';
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || (ch === '\u0004' && text === '')) {
          finish();
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          finish();
          process.kill(process.pid, 'SIGINT');
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else if (ch === '\u0015') text = '';
        else text += ch;
      }
    };
    input.on('data', onData);
  });
}

/** Read one line with echo; undefined at end of input. */
export function readLine(prompt: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
    let answered = false;
    process.stdout.write(prompt);
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}

/** Ask twice until both agree, as ssh-keygen does for a new passphrase. */
export async function readNewPassphrase(prompt: string): Promise<string> {
  for (;;) {
    const first = await readHidden(prompt);
    const second = await readHidden('Enter same passphrase again: ');
    if (first === second) return first;
    process.stderr.write('Passphrases do not match.  Try again.\n');
  }
}
