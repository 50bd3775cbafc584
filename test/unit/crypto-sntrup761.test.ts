import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  SNTRUP761_CIPHERTEXT_BYTES,
  SNTRUP761_PUBLIC_KEY_BYTES,
  SNTRUP761_SECRET_KEY_BYTES,
  sntrup761Decapsulate,
  sntrup761Encapsulate,
  sntrup761KeyPair,
  systemRandom,
} from '@tssh/ssh-protocol/crypto';
import { fromHex, toHex } from '@tssh/ssh-protocol/wire';
import { NistDrbg, katSeeds } from '../helpers/nist-drbg.js';

interface KatEntry {
  count: number;
  seed: Uint8Array;
  pk: Uint8Array;
  sk: Uint8Array;
  ct: Uint8Array;
  ss: Uint8Array;
}

/** Entries of a NIST PQC .rsp file: blank-line separated "name = HEX" blocks; '#' lines are comments. */
function readKat(name: string): KatEntry[] {
  const text = readFileSync(fileURLToPath(new URL(`../../fixtures/sntrup761/${name}`, import.meta.url)), 'utf8');
  return text
    .split(/\n\s*\n/)
    .map((block) => Object.fromEntries(block.split('\n').filter((l) => /^\w+ = /.test(l)).map((l) => l.split(' = '))))
    .filter((f: Record<string, string>) => f.count !== undefined)
    .map((f: Record<string, string>) => ({
      count: Number(f.count),
      seed: fromHex(f.seed),
      pk: fromHex(f.pk),
      sk: fromHex(f.sk),
      ct: fromHex(f.ct),
      ss: fromHex(f.ss),
    }));
}

const KAT = readKat('kat_kem.rsp');

/** Hash_b(Hash3(y), z) of the round-3 spec, computed here independently with node:crypto. */
function sessionHash(b: number, y: Uint8Array, z: Uint8Array): string {
  const inner = createHash('sha512').update(Uint8Array.of(3)).update(y).digest().subarray(0, 32);
  return createHash('sha512').update(Uint8Array.of(b)).update(inner).update(z).digest().subarray(0, 32).toString('hex');
}

test('the KAT fixture holds the first published entries', () => {
  assert.deepEqual(KAT.map((e) => e.count), [0, 1]);
  for (const e of KAT) {
    assert.equal(e.pk.length, SNTRUP761_PUBLIC_KEY_BYTES);
    assert.equal(e.sk.length, SNTRUP761_SECRET_KEY_BYTES);
    assert.equal(e.ct.length, SNTRUP761_CIPHERTEXT_BYTES);
    assert.equal(e.ss.length, 32);
  }
});

test('NIST KAT DRBG: seeds from entropy 0..47 are the published ones', () => {
  const seeds = katSeeds(KAT.length);
  for (const e of KAT) assert.equal(toHex(seeds[e.count]), toHex(e.seed));
});

for (const e of KAT) {
  test(`KAT ${e.count}: key pair, encapsulation and decapsulation byte for byte`, () => {
    const drbg = new NistDrbg(e.seed);
    const { publicKey, secretKey } = sntrup761KeyPair(drbg.random);
    assert.equal(toHex(publicKey), toHex(e.pk));
    assert.equal(toHex(secretKey), toHex(e.sk));
    const { ciphertext, sharedSecret } = sntrup761Encapsulate(publicKey, drbg.random);
    assert.equal(toHex(ciphertext), toHex(e.ct));
    assert.equal(toHex(sharedSecret), toHex(e.ss));
    assert.equal(toHex(sntrup761Decapsulate(e.ct, e.sk)), toHex(e.ss));
  });

  test(`KAT ${e.count}: a changed ciphertext is rejected implicitly with Hash0(Hash3(rho), c)`, () => {
    const rho = e.sk.subarray(2 * 191 + 1158, 2 * 191 + 1158 + 191);
    for (const at of [0, 500, 1006, 1007, 1038]) {
      const c = e.ct.slice();
      c[at] ^= 0x04;
      const k = sntrup761Decapsulate(c, e.sk);
      assert.equal(toHex(k), sessionHash(0, rho, c), `byte ${at}`);
      assert.equal(toHex(sntrup761Decapsulate(c, e.sk)), toHex(k), 'deterministic');
    }
    // Not a canonical encoding at all: still a 32-byte key, never an exception.
    const junk = new Uint8Array(SNTRUP761_CIPHERTEXT_BYTES).fill(0xff);
    assert.equal(toHex(sntrup761Decapsulate(junk, e.sk)), sessionHash(0, rho, junk));
  });
}

test('sizes: 1158-byte public key, 1763-byte secret key, 1039-byte ciphertext, 32-byte secret', () => {
  const { publicKey, secretKey } = sntrup761KeyPair(systemRandom);
  assert.equal(publicKey.length, 1158);
  assert.equal(secretKey.length, 1763);
  assert.deepEqual(secretKey.subarray(382, 382 + 1158), publicKey);
  const { ciphertext, sharedSecret } = sntrup761Encapsulate(publicKey, systemRandom);
  assert.equal(ciphertext.length, 1039);
  assert.equal(sharedSecret.length, 32);
});

test('random key pairs: both sides agree, and another key pair does not', () => {
  const other = sntrup761KeyPair(systemRandom);
  for (let i = 0; i < 3; i++) {
    const { publicKey, secretKey } = sntrup761KeyPair(systemRandom);
    const { ciphertext, sharedSecret } = sntrup761Encapsulate(publicKey, systemRandom);
    assert.deepEqual(sntrup761Decapsulate(ciphertext, secretKey), sharedSecret);
    assert.notDeepEqual(sntrup761Decapsulate(ciphertext, other.secretKey), sharedSecret);
  }
});

test('wrong lengths are refused', () => {
  const e = KAT[0];
  for (const n of [0, 1157, 1159]) {
    assert.throws(() => sntrup761Encapsulate(new Uint8Array(n), systemRandom), RangeError);
  }
  for (const n of [0, 1038, 1040]) assert.throws(() => sntrup761Decapsulate(new Uint8Array(n), e.sk), RangeError);
  assert.throws(() => sntrup761Decapsulate(e.ct, e.sk.subarray(1)), RangeError);
  assert.throws(() => sntrup761KeyPair(() => new Uint8Array(3)), RangeError);
});
