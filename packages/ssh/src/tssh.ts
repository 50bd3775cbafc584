// tssh: the SSH client. Parses the command line, runs one connection, and exits with the remote command's
// status (255 when tssh itself fails), restoring the terminal and flushing output on every way out.
import { constants } from 'node:os';
import { createClientLogger, levelFromFlags } from './client-log.js';
import type { ClientSession } from './client-connection.js';
import { runClient } from './client-run.js';
import { backgroundChild, forkToBackground } from './background.js';
import { BadArgumentError, USAGE, UsageError, parseTsshArgs, type TsshArgs } from './command-line.js';
import { UnsupportedQueryError, answerQuery } from './algorithm-query.js';
import { EXIT_FAILURE, FatalError } from './fatal-error.js';
import { LocalTerminal } from './local-terminal.js';
import { terminalPrompter } from './terminal-prompt.js';

const tell = (text: string): void => void process.stderr.write(text);

/** Lets pending log lines reach stderr and output reach stdout, then exits. */
async function exit(code: number): Promise<never> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  await Promise.all(
    [process.stdout, process.stderr].map((s) => {
      s.on('error', () => {}); // a reader that went away (EPIPE) must not change the exit status
      return new Promise<void>((r) => (s.destroyed || s.writableEnded ? r() : s.write('', () => r())));
    }),
  );
  process.exit(code);
}

function parse(argv: readonly string[]): TsshArgs | undefined {
  try {
    return parseTsshArgs(argv);
  } catch (e) {
    if (e instanceof BadArgumentError) {
      tell(`${e.message}\n`);
      return undefined;
    }
    if (!(e instanceof UsageError)) throw e;
    tell(`tssh: ${e.message}\n${USAGE}\n`);
    return undefined;
  }
}

/** -Q: the list on stdout, status 0; an unknown kind is ssh's message and 255. */
function query(kind: string): number {
  try {
    process.stdout.write(answerQuery(kind).map((name) => `${name}\n`).join(''));
    return 0;
  } catch (e) {
    if (!(e instanceof UnsupportedQueryError)) throw e;
    tell(`${e.message}\n`);
    return EXIT_FAILURE;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parse(argv);
  if (!args) return EXIT_FAILURE;
  if (args.query !== undefined) return query(args.query);
  const child = backgroundChild();
  if (args.fork && !child) return forkToBackground(argv, terminalPrompter);
  const flagLevel = levelFromFlags(args.quiet, args.verbose);
  const log = createClientLogger(flagLevel ?? 'INFO');
  const terminal = new LocalTerminal(log);
  let session: ClientSession | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    terminal.restore();
    session?.endpoint.close();
    log.debug(`Killed by signal ${constants.signals[signal]}.`);
    void exit(EXIT_FAILURE);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  try {
    return await runClient(args, {
      log,
      levelFromFlags: flagLevel !== undefined,
      terminal,
      tell,
      prompter: child?.prompter ?? terminalPrompter,
      onConnected: (s) => (session = s),
      afterAuthentication: child
        ? () => {
            log.debug('forking to background');
            child.detach();
          }
        : undefined,
    });
  } catch (e) {
    if (!(e instanceof FatalError)) throw e;
    for (const line of e.message.split('\n')) log.fatal(line);
    return e.exitCode;
  } finally {
    terminal.restore();
  }
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (e: unknown) => {
    tell(`tssh: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return exit(EXIT_FAILURE);
  },
);
