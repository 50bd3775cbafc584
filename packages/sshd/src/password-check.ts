// Checking a password against the system's accounts (sshd's auth_password / sys_auth_passwd without PAM):
// the shadow hash, the empty-password rule, PermitRootLogin, an expired password. Every path hashes once, so a
// name that does not exist costs what a real one does; the password itself is never logged.
import { verifyPasswordHash } from '@tssh/ssh-protocol/crypto';
import type { PermitRootLogin } from '@tssh/ssh-protocol/config';
import type { Logger } from '@tssh/ssh-protocol/wire';
import type { Account } from './accounts.js';
import { passwordExpired, shadowDay, type ShadowEntry } from './shadow.js';

/**
 * Hashed when there is no real hash to check (unknown user, no password, shadow unreadable): yescrypt at
 * Debian's default cost, as new passwords are hashed, over a random string nobody knows.
 */
export const DUMMY_HASH = '$y$j9T$utvulSGF/cuGA.4z16h1G.$rZN4r/rO/rLvUbwA3Rf.kVSk0BqjPfnYBERLzWFMu4A';

export interface PasswordCheckContext {
  permitEmptyPasswords: boolean;
  permitRootLogin: PermitRootLogin;
  log: Logger;
  now(): number;
  /** Where the connection comes from, for the log. */
  from: string;
  readShadow(name: string): ShadowEntry | undefined;
  /** The hash check; verifyPasswordHash unless a test watches it. */
  verify?: (password: Uint8Array, hash: string) => boolean;
}

/** sshd's auth_root_allowed for password-like methods: only PermitRootLogin yes lets root use them. */
function rootMayUsePassword(account: Account, permit: PermitRootLogin): boolean {
  return account.uid !== 0 || permit === 'yes';
}

/** True only when `password` is the account's password and nothing forbids using it. */
export function checkSystemPassword(account: Account | undefined, password: string, ctx: PasswordCheckContext): boolean {
  const verify = ctx.verify ?? verifyPasswordHash;
  const bytes = new TextEncoder().encode(password);
  const entry = account ? ctx.readShadow(account.name) : undefined;
  const hash = entry?.hash;
  let matched: boolean;
  if (hash === '') {
    // No password at all: only an empty one matches (sys_auth_passwd), and only with PermitEmptyPasswords.
    verify(bytes, DUMMY_HASH);
    matched = password === '';
  } else {
    matched = verify(bytes, hash ?? DUMMY_HASH) && hash !== undefined;
  }
  bytes.fill(0);
  if (!account) return false;
  if (!entry) {
    ctx.log.verbose(`Password check for ${account.name} from ${ctx.from}: no shadow entry readable (tsshd-session must run as root)`);
    return false;
  }
  if (!matched) {
    ctx.log.debug(`Password check for ${account.name} from ${ctx.from}: password does not match`);
    return false;
  }
  if (password === '' && !ctx.permitEmptyPasswords) {
    ctx.log.info(`Password check for ${account.name} from ${ctx.from}: empty password refused (PermitEmptyPasswords no)`);
    return false;
  }
  if (!rootMayUsePassword(account, ctx.permitRootLogin)) {
    ctx.log.info(`ROOT LOGIN REFUSED FROM ${ctx.from}: PermitRootLogin ${ctx.permitRootLogin} allows no password`);
    return false;
  }
  if (passwordExpired(entry, shadowDay(ctx.now()))) {
    const why = entry.lastChange === 0 ? 'root forced' : 'password aged';
    ctx.log.info(`User ${account.name} password has expired (${why}): password login refused`);
    return false;
  }
  return true;
}
