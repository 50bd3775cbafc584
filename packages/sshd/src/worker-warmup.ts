// What a pre-started worker does while it waits for its connection: the work every connection needs first and
// that costs most the first time, done once on throwaway data, so that the connection does not wait for it:
// the curves' precomputed tables (host key, signatures, key exchange), the post-quantum KEMs' first encapsulation
// (ML-KEM's costs ~50 ms the first time, ~2 ms after), hashing, the command line parser and the logger's modules;
// and the first command's output pipe (output-pipes.ts), made while still root, before any user is known.
// Nothing here reads the configuration or a key: that happens afresh when the connection arrives.
import {
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  hash,
  MLKEM768_PUBLIC_KEY_LENGTH,
  mlkem768Encapsulate,
  SNTRUP761_PUBLIC_KEY_BYTES,
  sntrup761Encapsulate,
  systemRandom,
  x25519PublicKey,
  x25519SharedSecret,
} from '@tssh/ssh-protocol/crypto';
import { createServerLogger } from './log.js';
import { outputPipes } from './output-pipes.js';
import { parseSessionArgs } from './session-args.js';

export function warmUp(argv: readonly string[]): void {
  try {
    parseSessionArgs(argv);
  } catch {
    // a bad command line is reported when the connection is served
  }
  try {
    exercise();
  } catch {
    // a warm-up that fails only leaves the work to the connection
  }
  outputPipes.prepare();
}

function exercise(): void {
  const seed = systemRandom(32);
  const message = hash('sha256', seed);
  const publicKey = ed25519PublicKey(seed);
  ed25519Verify(publicKey, message, ed25519Sign(seed, message));
  const a = systemRandom(32);
  x25519SharedSecret(a, x25519PublicKey(systemRandom(32)));
  hash('sha512', publicKey, message);
  // Encapsulating to an all-zero public key is pointless but well defined: it runs the same code as a real one.
  mlkem768Encapsulate(new Uint8Array(MLKEM768_PUBLIC_KEY_LENGTH), systemRandom(32));
  sntrup761Encapsulate(new Uint8Array(SNTRUP761_PUBLIC_KEY_BYTES), systemRandom);
  const quiet = createServerLogger({ program: 'tsshd-session', level: 'QUIET', destination: { kind: 'stderr', stamped: true }, format: 'text' });
  quiet.info('warm-up');
  quiet.close();
}
