// A worker that fails in a way it did not plan for must say so to the listener through its exit status
// (EXIT_CHILD_CRASH), so that the source that caused it is penalised like one that crashed sshd's child.
import { EXIT_CHILD_CRASH } from './exit-status.js';

export function exitOnCrash(program: string): void {
  const crash = (err: unknown): void => {
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    try {
      process.stderr.write(`${program}: fatal: ${text}\n`);
    } finally {
      process.exit(EXIT_CHILD_CRASH);
    }
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}
