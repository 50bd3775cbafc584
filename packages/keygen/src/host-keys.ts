// Host keys that a server needs before it can start (`ssh-keygen -A`). Exported for tsshd's `make run`.
import { mkdirSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { ED25519_KEY_TYPE } from '@tssh/ssh-protocol/keys';
import { existsNonEmpty, writeKeyPairAtomically } from './key-files.js';

/** Where `tssh-keygen -A` puts its host key, under an optional prefix (as `ssh-keygen -A -f prefix`). */
export const DEFAULT_HOST_KEY_PATHS: readonly string[] = Object.freeze(['/etc/tssh/ssh_host_ed25519_key']);

/** The comment ssh-keygen gives host keys: the running user at this host. */
export function hostKeyComment(): string {
  return `${userInfo().username}@${hostname()}`;
}

/**
 * Create each missing (or empty) host key file as an unencrypted ed25519 key, mode 0600, with its `.pub` (0644);
 * missing directories are created (0755). Existing keys are left alone. Returns the paths created.
 */
export async function ensureHostKeys(paths: string[], log?: { info(message: string): unknown }): Promise<string[]> {
  const created: string[] = [];
  for (const path of paths) {
    if (existsNonEmpty(path)) continue;
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    const key = ED25519_KEY_TYPE.generate(systemRandom);
    key.comment = hostKeyComment();
    try {
      writeKeyPairAtomically(path, key, { passphrase: '' });
    } finally {
      key.wipe();
    }
    created.push(path);
    log?.info(`Generated ${ED25519_KEY_TYPE.label} host key ${path}`);
  }
  return created;
}
