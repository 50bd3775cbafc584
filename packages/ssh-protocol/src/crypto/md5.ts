import { createHash } from 'node:crypto';

/** MD5 (RFC 1321): only for legacy fingerprints (`ssh-keygen -E md5`), never for security. */
export function md5(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('md5').update(data).digest());
}
