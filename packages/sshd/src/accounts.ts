import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

/** One entry of the account database (passwd(5)), as NSS returns it. */
export interface Account {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

/**
 * Look a user up through NSS (`getent passwd`), so that files, LDAP, SSSD and the rest answer as they do for
 * sshd. Node has no getpwnam(3); getent is part of libc-bin on every glibc system.
 */
export function lookupAccount(name: string): Account | undefined {
  // Names that could be read as options or hold separators are never valid account names.
  if (!/^[A-Za-z0-9._][A-Za-z0-9._@-]*\$?$/.test(name) || name.length > 256) return undefined;
  const r = spawnSync('getent', ['passwd', name], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0 || !r.stdout) return undefined;
  const line = r.stdout.split('\n')[0];
  const f = line.split(':');
  if (f.length < 7 || f[0] !== name) return undefined;
  const uid = Number(f[2]);
  const gid = Number(f[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) return undefined;
  return { name: f[0], uid, gid, gecos: f[4], home: f[5], shell: f[6] || '/bin/sh' };
}

/** Names of the groups the user belongs to (primary and supplementary), for AllowGroups/DenyGroups and Match. */
export function groupsOf(name: string): string[] {
  const r = spawnSync('id', ['-Gn', name], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return [];
  return r.stdout.trim().split(/\s+/).filter(Boolean);
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
