// The shadow password database (shadow(5)): the password hash of an account, whether it is locked, and the
// aging fields that expire the account or its password. Read through NSS (`getent shadow`), which only root can.
import { spawnSync } from 'node:child_process';

export interface ShadowEntry {
  name: string;
  /** The crypt(3) hash; "!" in front locks it, "*" or "!" alone mean no password can match, "" means none. */
  hash: string;
  /** Days since 1970-01-01 of the last change; 0 means the password must be changed at next login. */
  lastChange: number | undefined;
  /** Days a password is valid after lastChange. */
  maxDays: number | undefined;
  /** Days after the password expired during which it is still accepted (for a change). */
  inactiveDays: number | undefined;
  /** Day (since 1970-01-01) from which the account is expired. */
  expireDay: number | undefined;
}

function dayField(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n < 0 ? undefined : n;
}

/** One line of /etc/shadow; undefined when it is not one. */
export function parseShadowLine(line: string): ShadowEntry | undefined {
  const f = line.replace(/\n$/, '').split(':');
  if (f.length < 9 || f[0] === '') return undefined;
  return {
    name: f[0],
    hash: f[1],
    lastChange: dayField(f[2]),
    maxDays: dayField(f[4]),
    inactiveDays: dayField(f[6]),
    expireDay: dayField(f[7]),
  };
}

/** The shadow entry of `name` through NSS; undefined when there is none or we may not read it (not root). */
export function lookupShadow(name: string): ShadowEntry | undefined {
  const r = spawnSync('getent', ['shadow', '--', name], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0 || !r.stdout) return undefined;
  const entry = parseShadowLine(r.stdout.split('\n')[0]);
  return entry?.name === name ? entry : undefined;
}

/** The current day number of shadow(5) (days since the epoch, UTC). */
export function shadowDay(nowMs: number): number {
  return Math.floor(nowMs / 86_400_000);
}

/** `usermod -L` / `passwd -l` put "!" in front of the hash (OpenSSH's LOCKED_PASSWD_PREFIX on Linux). */
export function accountLocked(entry: ShadowEntry): boolean {
  return entry.hash.startsWith('!');
}

/** The account expiry date has passed (`chage -E`). */
export function accountExpired(entry: ShadowEntry, day: number): boolean {
  return entry.expireDay !== undefined && entry.expireDay !== 0 && day >= entry.expireDay;
}

/**
 * The password must be changed before it may be used again: an administrator forced it (`chage -d 0`), or its
 * maximum age (`chage -M`) has passed.
 */
export function passwordExpired(entry: ShadowEntry, day: number): boolean {
  if (entry.lastChange === 0) return true;
  if (entry.lastChange === undefined || entry.maxDays === undefined || entry.maxDays >= 99999) return false;
  return day > entry.lastChange + entry.maxDays;
}
