// -f: go to the background once authenticated. ssh forks after authentication, and the child calls daemon(3):
// a new session, no terminal, stdin on /dev/null, while the parent exits 0. Node cannot fork, so tssh runs
// itself again from the start as that child, in a session of its own (detached) with the same stdout and
// stderr and stdin on /dev/null; the child does all the work. What it needs to ask (host key, passphrase,
// password) it asks the parent over an IPC channel, and the parent asks on its terminal. When the child is
// authenticated it says so and lets the channel go, and the parent exits 0; if the child ends before that, the
// parent exits with its status. Only the child's own process ever holds the connection.
import { spawn } from 'node:child_process';
import { NoTerminalError, type Prompter } from './terminal-prompt.js';

/** Set in the child's environment (and taken out of it at once, so that SendEnv never sees it). */
const CHILD_MARK = 'TSSH_BACKGROUND_CHILD';

type ToParent = { kind: 'ask'; id: number; prompt: string; echo: boolean } | { kind: 'ready' };
type ToChild = { kind: 'answer'; id: number; answer: string | null; noTerminal: boolean };

export interface BackgroundChild {
  /** Questions go to the parent's terminal; after detach() there is nobody to ask. */
  readonly prompter: Prompter;
  /** Authenticated: the parent may exit now. */
  detach(): void;
}

/** The side of the child started by forkToBackground; undefined in any other tssh. */
export function backgroundChild(): BackgroundChild | undefined {
  if (process.env[CHILD_MARK] !== '1' || !process.send) return undefined;
  delete process.env[CHILD_MARK];
  const send = (m: ToParent): void => void process.send?.(m);
  const waiting = new Map<number, { resolve(a: string | undefined): void; reject(e: Error): void }>();
  let nextId = 0;
  let connected = true;
  const giveUp = (): void => {
    connected = false;
    for (const w of waiting.values()) w.reject(new NoTerminalError());
    waiting.clear();
  };
  process.on('message', (m: ToChild) => {
    const w = waiting.get(m.id);
    if (m.kind !== 'answer' || !w) return;
    waiting.delete(m.id);
    if (m.noTerminal) w.reject(new NoTerminalError());
    else w.resolve(m.answer ?? undefined);
  });
  process.once('disconnect', giveUp);
  return {
    prompter: {
      ask(prompt, echo) {
        if (!connected) return Promise.reject(new NoTerminalError());
        return new Promise((resolve, reject) => {
          const id = nextId++;
          waiting.set(id, { resolve, reject });
          send({ kind: 'ask', id, prompt, echo });
        });
      },
    },
    detach() {
      if (!connected) return;
      giveUp();
      process.send?.({ kind: 'ready' } satisfies ToParent, () => process.disconnect());
    },
  };
}

/**
 * In the tssh the user started with -f: runs the child and answers its questions with `prompter`. Resolves
 * with the status to exit with: 0 once the child is authenticated, else the child's own. A signal that would
 * end this process ends the child too, as long as it has not gone to the background.
 */
export function forkToBackground(argv: readonly string[], prompter: Prompter): Promise<number> {
  const script = process.argv[1];
  const child = spawn(process.execPath, [...process.execArgv, script, ...argv], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [CHILD_MARK]: '1' },
  });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (code: number): void => {
      if (settled) return;
      settled = true;
      for (const s of SIGNALS) process.off(s, onSignal);
      resolve(code);
    };
    const onSignal = (): void => {
      child.kill('SIGTERM');
      settle(255);
    };
    const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const s of SIGNALS) process.on(s, onSignal);
    child.on('message', (m: ToParent) => {
      if (m.kind === 'ready') {
        child.disconnect();
        child.unref();
        settle(0);
        return;
      }
      prompter.ask(m.prompt, m.echo).then(
        (answer) => answerChild(child, { kind: 'answer', id: m.id, answer: answer ?? null, noTerminal: false }),
        // No terminal, or it failed: either way there is nobody to ask.
        () => answerChild(child, { kind: 'answer', id: m.id, answer: null, noTerminal: true }),
      );
    });
    child.on('error', () => settle(255));
    child.on('exit', (code, signal) => settle(code ?? (signal ? 255 : 0)));
  });
}

function answerChild(child: ReturnType<typeof spawn>, m: ToChild): void {
  if (child.connected) child.send(m);
}
