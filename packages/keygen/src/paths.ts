// The user's files ssh-keygen works on by default.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userSshDir(): string {
  return join(homedir(), '.ssh');
}

/** ~/.ssh/id_<type>, e.g. ~/.ssh/id_ed25519. */
export function defaultIdentityFile(shortType = 'ed25519'): string {
  return join(userSshDir(), `id_${shortType}`);
}

export function defaultKnownHostsFile(): string {
  return join(userSshDir(), 'known_hosts');
}
