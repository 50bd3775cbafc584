import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { silentLogger, type Env, type Logger } from '@tssh/ssh-protocol/wire';

/** An Env for in-memory tests: real randomness, real clock, logger silent unless TSSH_TEST_LOG is set. */
export function testEnv(log: Logger = process.env.TSSH_TEST_LOG ? consoleLogger : silentLogger): Env {
  return { random: systemRandom, now: () => Date.now(), log };
}

const consoleLogger: Logger = {
  error: (m, f) => console.error('ERROR', m, f ?? ''),
  warn: (m, f) => console.error('WARN', m, f ?? ''),
  info: (m, f) => console.error('INFO', m, f ?? ''),
  verbose: (m, f) => console.error('VERBOSE', m, f ?? ''),
  debug: (m, f) => console.error('DEBUG', m, f ?? ''),
};
