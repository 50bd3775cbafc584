// What the sans-IO core needs from the world, injected so that a whole connection can run in memory:
// randomness, a clock and a logger. Lives in the lowest layer so that every layer can take it.

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  verbose(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export interface Env {
  /** Cryptographically strong random bytes. */
  random(n: number): Uint8Array;
  /** Milliseconds since the epoch. */
  now(): number;
  log: Logger;
}

export const silentLogger: Logger = Object.freeze({
  error() {},
  warn() {},
  info() {},
  verbose() {},
  debug() {},
});
