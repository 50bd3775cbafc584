// Reading a user's authorized_keys files as sshd does, StrictModes included (auth2-pubkeyfile.c): the file and
// every directory above it, up to the home directory, must be owned by root or the user and not be writable by
// group or others.
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { matchAddressList, matchHostList } from '@tssh/ssh-protocol/config';
import { findAuthorizedKeys, parseAuthorizedKeys, type AuthorizedKeyEntry, type PublicKey } from '@tssh/ssh-protocol/keys';
import type { Logger } from '@tssh/ssh-protocol/wire';
import type { Account } from './accounts.js';

/** Why a path fails StrictModes, or undefined when it passes. */
export function strictModesProblem(path: string, account: Account): string | undefined {
  let current = path;
  for (;;) {
    let st;
    try {
      st = statSync(current);
    } catch {
      return `cannot stat ${current}`;
    }
    if (st.uid !== 0 && st.uid !== account.uid) return `bad ownership or modes for ${current === path ? 'file' : 'directory'} ${current}`;
    if ((st.mode & 0o022) !== 0) return `bad ownership or modes for ${current === path ? 'file' : 'directory'} ${current}`;
    if (current === account.home || current === '/') return undefined;
    const up = dirname(current);
    if (up === current) return undefined;
    current = up;
  }
}

export interface KeyCheckContext {
  account: Account;
  files: readonly string[];
  strictModes: boolean;
  clientAddress: string;
  now: number;
  log: Logger;
}

/** The authorized_keys entry that admits `key` for this connection, if any (options checked: from=, expiry-time). */
export function findAuthorizingEntry(key: PublicKey, ctx: KeyCheckContext): AuthorizedKeyEntry | undefined {
  for (const file of ctx.files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      ctx.log.debug(`Could not open user '${ctx.account.name}' authorized keys '${file}': ${(e as NodeJS.ErrnoException).code ?? e}`);
      continue;
    }
    if (ctx.strictModes) {
      const problem = strictModesProblem(file, ctx.account);
      if (problem) {
        ctx.log.error(`Authentication refused: ${problem}`);
        continue;
      }
    }
    const parsed = parseAuthorizedKeys(text, file);
    for (const p of parsed.problems) ctx.log.debug(`${file}:${p.line}: ${p.reason}`);
    for (const entry of findAuthorizedKeys(parsed.entries, key)) {
      const o = entry.options;
      if (o.certAuthority) continue;
      if (o.from !== undefined) {
        const byAddr = matchAddressList(ctx.clientAddress, o.from);
        const byName = matchHostList(ctx.clientAddress, o.from);
        if (byAddr === -1 || byName === -1 || (byAddr !== 1 && byName !== 1)) {
          ctx.log.info(`Authentication tried for ${ctx.account.name} with correct key but not from a permitted host (ip=${ctx.clientAddress}).`);
          continue;
        }
      }
      if (o.expiryTime !== undefined && ctx.now / 1000 > o.expiryTime) {
        ctx.log.info(`${file}:${entry.line}: key has expired`);
        continue;
      }
      ctx.log.debug(`${file}:${entry.line}: matching key found`);
      return entry;
    }
  }
  return undefined;
}
