import type { Account } from './accounts.js';

/** process.initgroups exists on POSIX Node but is missing from @types/node 20. */
type InitGroups = (user: string | number, extraGroup: string | number) => void;

/** Are we the superuser (able to become any user)? */
export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Become the authenticated user for good: supplementary groups, then gid, then uid (in that order: once the
 * uid is dropped nothing else may change). Afterwards the process cannot regain root. Linux also marks the
 * process non-dumpable on this change, so the user cannot ptrace it to read the host key held in memory.
 */
export function dropPrivileges(account: Account): void {
  if (!runningAsRoot()) return;
  (process as unknown as { initgroups: InitGroups }).initgroups(account.name, account.gid);
  process.setgid!(account.gid);
  process.setuid!(account.uid);
  if (process.getuid!() !== account.uid || process.geteuid!() !== account.uid || process.getegid!() !== account.gid) {
    throw new Error(`failed to drop privileges to ${account.name}`);
  }
  if (account.uid === 0) return;
  try {
    process.setuid!(0);
  } catch {
    return; // expected: root cannot be regained
  }
  throw new Error('privileges were not dropped: setuid(0) succeeded');
}

/**
 * What `tsshd -t` says when not run as root: the workers cannot become another user, so only the account
 * running tsshd can log in.
 */
export function loginScopeNotice(user: string): string | undefined {
  return runningAsRoot() ? undefined : `tsshd runs as ${user}: only ${user} can log in`;
}
