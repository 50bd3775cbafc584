import { userInfo } from 'node:os';
import type { Account } from './accounts.js';
import { dropPrivileges } from './privileges.js';

/** The user this process runs as (the only one it can serve when not root). */
export function currentUserName(): string {
  return userInfo().username;
}

/**
 * Enter the user's session: become the user (when root), then work from the home directory. Everything the
 * session runs or opens afterwards happens with the user's rights only.
 */
export function startSession(account: Account): void {
  dropPrivileges(account);
  try {
    process.chdir(account.home);
  } catch {
    process.chdir('/');
  }
}
