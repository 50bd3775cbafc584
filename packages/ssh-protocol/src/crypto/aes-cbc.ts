import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AES-CBC (NIST SP 800-38A §6.2) without padding, through OpenSSL: the caller pads to the 16-byte block
 * (OpenSSH key files pad with 1, 2, 3, ...). Used to read and write older `aes256-cbc` key files.
 */
function algorithm(key: Uint8Array): 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' {
  if (key.length === 16) return 'aes-128-cbc';
  if (key.length === 24) return 'aes-192-cbc';
  if (key.length === 32) return 'aes-256-cbc';
  throw new RangeError(`AES-CBC key must be 16, 24 or 32 bytes, got ${key.length}`);
}

function run(encrypt: boolean, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== 16) throw new RangeError(`AES-CBC IV must be 16 bytes, got ${iv.length}`);
  if (data.length % 16 !== 0) throw new RangeError('AES-CBC data must be a whole number of 16-byte blocks');
  const c = encrypt ? createCipheriv(algorithm(key), key, iv) : createDecipheriv(algorithm(key), key, iv);
  c.setAutoPadding(false);
  const head = c.update(data);
  c.final();
  return new Uint8Array(head.buffer, head.byteOffset, head.byteLength);
}

export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return run(true, key, iv, data);
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return run(false, key, iv, data);
}
