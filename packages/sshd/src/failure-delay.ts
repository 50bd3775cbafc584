// sshd's answer to timing attacks on failed authentication (auth2.c ensure_minimum_time_since): a failure is
// answered no sooner than a minimum that depends only on the user name and a per-process secret, doubled until
// it covers the time the check took. A wrong password for a real account and any password for a name that does
// not exist then take the same, quantised, time.
import { createHash, randomBytes } from 'node:crypto';

/** sshd's MIN_FAIL_DELAY_SECONDS. */
const MIN_DELAY_MS = 5;
/** Up to 4.2 ms more, fixed per user name, as in sshd's user_specific_delay. */
const USER_SPREAD_MS = 2 ** 32 / 1e9;

export class FailureDelay {
  constructor(
    private readonly secret: Uint8Array = randomBytes(16),
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Milliseconds; the same for every attempt on one name within this process. */
  userDelay(user: string): number {
    const digest = createHash('sha512').update(this.secret).update(user).digest();
    return MIN_DELAY_MS + (digest.readUInt32BE(0) / 2 ** 32) * USER_SPREAD_MS;
  }

  /** How long to wait now so that the failure that began at `startMs` is answered at its quantised time. */
  remaining(user: string, startMs: number): number {
    const elapsed = this.clock() - startMs;
    let target = this.userDelay(user);
    while (target - elapsed < 0) target *= 2;
    return target - elapsed;
  }

  /** A time stamp for `remaining` and `pad`. */
  start(): number {
    return this.clock();
  }

  /** Waits out the rest of the minimum for a failure that began at `startMs`. */
  pad(user: string, startMs: number): Promise<void> {
    const wait = this.remaining(user, startMs);
    return new Promise((resolve) => setTimeout(resolve, wait));
  }
}
