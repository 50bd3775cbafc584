// Key fixtures made with OpenSSH's ssh-keygen (test/fixtures/keys/make-fixtures.sh), read from the source tree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of test/fixtures/keys (tests run from test/dist/...). */
export const KEY_FIXTURES = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));

/** Passphrase of id_ed25519_enc (aes256-ctr, bcrypt, 16 rounds). */
export const ENC_PASSPHRASE = 'correct horse battery staple';
/** Passphrase of id_ed25519_enc_a2 (aes256-ctr, bcrypt, 2 rounds, empty comment). */
export const ENC_A2_PASSPHRASE = 'pw';

export function keyFixture(name: string): string {
  return readFileSync(KEY_FIXTURES + name, 'utf8');
}

/** A fixture's lines, without line ends (OpenSSH ends its stderr log lines with CRLF). */
export function keyFixtureLines(name: string): string[] {
  return keyFixture(name)
    .split('\n')
    .filter((l, i, all) => l !== '' || i < all.length - 1)
    .map((l) => l.replace(/\r$/, ''));
}
