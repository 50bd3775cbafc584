// User and group names for SFTP long listings, users-groups-by-id@openssh.com and "~user" paths, read once from
// passwd(5) and group(5) when a session starts (what OpenSSH's sftp-server gets from getpwuid/getgrgid).
import { readFile } from 'node:fs/promises';

export interface SftpAccountNames {
  userName(uid: number): string | undefined;
  groupName(gid: number): string | undefined;
  homeOf(user: string): string | undefined;
}

interface Tables {
  users: Map<number, string>;
  groups: Map<number, string>;
  homes: Map<string, string>;
}

/** `name:password:id:...` lines; the first entry for an id wins, as getpwuid(3) returns the first. */
export function parseAccountTables(passwd: string, group: string): Tables {
  const t: Tables = { users: new Map(), groups: new Map(), homes: new Map() };
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || line.startsWith('#')) continue;
    const uid = Number(f[2]);
    if (!Number.isInteger(uid)) continue;
    if (!t.users.has(uid)) t.users.set(uid, f[0]);
    if (!t.homes.has(f[0])) t.homes.set(f[0], f[5]);
  }
  for (const line of group.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || line.startsWith('#')) continue;
    const gid = Number(f[2]);
    if (Number.isInteger(gid) && !t.groups.has(gid)) t.groups.set(gid, f[0]);
  }
  return t;
}

export function accountNamesFrom(t: Tables): SftpAccountNames {
  return {
    userName: (uid) => t.users.get(uid),
    groupName: (gid) => t.groups.get(gid),
    homeOf: (user) => t.homes.get(user),
  };
}

/** The local account files; missing or unreadable files just leave ids without names. */
export async function loadAccountNames(passwdPath = '/etc/passwd', groupPath = '/etc/group'): Promise<SftpAccountNames> {
  const read = (p: string): Promise<string> => readFile(p, 'utf8').catch(() => '');
  const [passwd, group] = await Promise.all([read(passwdPath), read(groupPath)]);
  return accountNamesFrom(parseAccountTables(passwd, group));
}
