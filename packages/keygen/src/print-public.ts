// `tssh-keygen -y -f FILE`: the public key line of a private key file.
import { statSync } from 'node:fs';
import { formatPublicKeyLine } from '@tssh/ssh-protocol/keys';
import { FatalError, strerror } from './fatal.js';
import { loadPrivateKey } from './key-files.js';

export async function printPublicKey(path: string, passphrase: string | undefined): Promise<void> {
  try {
    statSync(path);
  } catch (e) {
    throw new FatalError(`tssh-keygen: ${path}: ${strerror(e)}`);
  }
  const key = await loadPrivateKey(path, passphrase);
  process.stdout.write(formatPublicKeyLine(key.publicKey, key.comment) + '\n');
  key.wipe();
}
