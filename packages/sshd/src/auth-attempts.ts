// Watches an AuthPolicy for what the exit status must tell the listener: whether the client tried to
// authenticate at all (anything beyond `none`), and whether the user it named was invalid. The policy itself is
// untouched; every call goes through to it, with `this` bound to it.
import type { AuthPolicy } from '@tssh/ssh-protocol/auth';

export interface AuthAttempts {
  /** A key, password or keyboard-interactive exchange was tried. */
  readonly attempted: boolean;
  /** The user asked for does not exist or may not log in. */
  readonly invalidUser: boolean;
}

const ATTEMPTS: ReadonlySet<PropertyKey> = new Set(['checkPublicKey', 'checkPassword', 'changePassword', 'keyboardInteractive']);

export function watchAuthAttempts<P extends AuthPolicy>(policy: P): { policy: P; attempts: AuthAttempts } {
  const attempts = { attempted: false, invalidUser: false };
  const watched = new Proxy(policy, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (prop === 'userValid') {
        return (...args: unknown[]) => {
          const valid = fn.apply(target, args);
          const record = (ok: unknown): unknown => {
            if (ok === false) attempts.invalidUser = true;
            return ok;
          };
          return valid instanceof Promise ? valid.then(record) : record(valid);
        };
      }
      if (ATTEMPTS.has(prop)) {
        return (...args: unknown[]) => {
          attempts.attempted = true;
          return fn.apply(target, args);
        };
      }
      return fn.bind(target);
    },
  });
  return { policy: watched, attempts };
}
