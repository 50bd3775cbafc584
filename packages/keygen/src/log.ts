// Log lines (errors, warnings, notes) go to stderr through winston, as bare OpenSSH-style messages; program
// output (keys, fingerprints) goes to stdout directly. winston is loaded on the first line actually logged, so
// that a quiet run does not pay for it.
import type { Logger } from 'winston';

export type KeygenLogLevel = 'error' | 'info' | 'verbose' | 'debug';

export interface KeygenLog {
  error(message: string): Promise<void>;
  info(message: string): Promise<void>;
  verbose(message: string): Promise<void>;
  debug(message: string): Promise<void>;
}

const RANK: Readonly<Record<KeygenLogLevel, number>> = Object.freeze({ error: 0, info: 2, verbose: 4, debug: 5 });

/** `verbosity` is the number of -v: 0 shows errors and notes, 1 adds verbose lines, 2 or more debug lines. */
export function createKeygenLog(verbosity: number): KeygenLog {
  const threshold: KeygenLogLevel = verbosity >= 2 ? 'debug' : verbosity === 1 ? 'verbose' : 'info';
  let logger: Promise<Logger> | undefined;
  const load = (): Promise<Logger> =>
    (logger ??= import('winston').then(({ createLogger, format, transports }) =>
      createLogger({
        level: threshold,
        format: format.printf((info) => String(info.message)),
        transports: [new transports.Console({ stderrLevels: ['error', 'warn', 'info', 'verbose', 'debug'] })],
      }),
    ));
  const at = (level: KeygenLogLevel) => async (message: string) => {
    if (RANK[level] > RANK[threshold]) return;
    (await load()).log(level, message);
  };
  return { error: at('error'), info: at('info'), verbose: at('verbose'), debug: at('debug') };
}
