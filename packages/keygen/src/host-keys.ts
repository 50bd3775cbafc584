// Host keys that a server needs before it can start (`ssh-keygen -A`). Exported for tsshd's `make run`.
import { mkdirSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { keyTypeForGeneration } from '@tssh/ssh-protocol/keys';
import { existsNonEmpty, writeKeyPairAtomically } from './key-files.js';

/** One host key file and the `ssh-keygen -t` type it holds (made at that type's default size). */
export interface HostKeySpec {
  readonly type: string;
  readonly path: string;
}

/** What `tssh-keygen -A` creates, in ssh-keygen's order, under an optional prefix (as `ssh-keygen -A -f prefix`). */
export const DEFAULT_HOST_KEYS: readonly HostKeySpec[] = Object.freeze(
  ['rsa', 'ecdsa', 'ed25519'].map((type) => Object.freeze({ type, path: `/etc/tssh/ssh_host_${type}_key` })),
);

/** The comment ssh-keygen gives host keys: the running user at this host. */
export function hostKeyComment(): string {
  return `${userInfo().username}@${hostname()}`;
}

/** A host key made: its file and the label ssh-keygen prints for its type ('RSA'). */
export interface CreatedHostKey {
  readonly path: string;
  readonly label: string;
}

/**
 * Create each missing (or empty) host key file as an unencrypted key of its type, mode 0600, with its `.pub`
 * (0644); missing directories are created (0755). Existing keys are left alone. Returns what was created.
 */
export async function ensureHostKeys(
  keys: readonly HostKeySpec[],
  log?: { info(message: string): unknown },
): Promise<CreatedHostKey[]> {
  const created: CreatedHostKey[] = [];
  for (const { type, path } of keys) {
    if (existsNonEmpty(path)) continue;
    const { info, bits } = keyTypeForGeneration(type);
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    const key = info.generate(systemRandom, bits);
    key.comment = hostKeyComment();
    try {
      writeKeyPairAtomically(path, key, { passphrase: '' });
    } finally {
      key.wipe();
    }
    created.push({ path, label: info.label });
    log?.info(`Generated ${info.label} host key ${path}`);
  }
  return created;
}
