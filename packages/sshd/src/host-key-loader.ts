import { readFileSync } from 'node:fs';
import { parsePrivateKeyFile, type PrivateKey } from '@tssh/ssh-protocol/keys';
import type { Logger } from '@tssh/ssh-protocol/wire';

/** Load each HostKey; unreadable ones are logged like sshd ("Unable to load host key") and skipped. */
export function loadHostKeys(paths: readonly string[], log: Logger): PrivateKey[] {
  const keys: PrivateKey[] = [];
  for (const path of paths) {
    try {
      keys.push(parsePrivateKeyFile(readFileSync(path, 'utf8')));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'ENOENT' ? 'No such file or directory' : err.code === 'EACCES' ? 'Permission denied' : err.message;
      log.error(`Unable to load host key: ${path}: ${why}`);
    }
  }
  return keys;
}
