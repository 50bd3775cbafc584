import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Blowfish, PI_FRACTION_HEX, aesCbcDecrypt, aesCbcEncrypt, aesCtr, aesCtrStream, bcryptPbkdf, md5 } from '@tssh/ssh-protocol/crypto';
import { fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

/** Hex digits of pi after the point, from Machin's formula pi = 16 atan(1/5) - 4 atan(1/239), in bigint fixed point. */
function piFractionHex(digits: number): string {
  const bits = BigInt(digits * 4 + 64);
  const one = 1n << bits;
  const atanInverse = (x: bigint): bigint => {
    let term = one / x;
    let sum = term;
    for (let k = 1n, sign = -1n; ; k++, sign = -sign) {
      term /= x * x;
      const t = term / (2n * k + 1n);
      if (t === 0n) return sum;
      sum += sign * t;
    }
  };
  const pi = 16n * atanInverse(5n) - 4n * atanInverse(239n);
  return ((pi - (3n << bits)) >> 64n).toString(16).padStart(digits, '0');
}

test('Blowfish initial state is the hex expansion of pi (P-array and four S-boxes)', () => {
  assert.equal(PI_FRACTION_HEX.length, (18 + 4 * 256) * 8);
  assert.equal(PI_FRACTION_HEX, piFractionHex(PI_FRACTION_HEX.length));
});

// Eric Young's ECB vectors, published by Schneier (schneier.com vectors.txt).
const ECB: ReadonlyArray<readonly [string, string, string]> = [
  ['0000000000000000', '0000000000000000', '4ef997456198dd78'],
  ['ffffffffffffffff', 'ffffffffffffffff', '51866fd5b85ecb8a'],
  ['3000000000000000', '1000000000000001', '7d856f9a613063f2'],
  ['1111111111111111', '1111111111111111', '2466dd878b963c9d'],
  ['0123456789abcdef', '1111111111111111', '61f9c3802281b096'],
  ['1111111111111111', '0123456789abcdef', '7d0cc630afda1ec7'],
  ['fedcba9876543210', '0123456789abcdef', '0aceab0fc6a0a28d'],
];
for (const [key, plain, cipher] of ECB) {
  test(`Blowfish ECB key ${key} plaintext ${plain}`, () => {
    assert.equal(toHex(Blowfish.withKey(fromHex(key)).encryptBlock(fromHex(plain))), cipher);
  });
}

test('Blowfish refuses empty and oversized keys and partial blocks', () => {
  assert.throws(() => Blowfish.withKey(new Uint8Array(0)), RangeError);
  assert.throws(() => Blowfish.withKey(new Uint8Array(73)), RangeError);
  assert.throws(() => Blowfish.withKey(new Uint8Array(8)).encryptBlock(new Uint8Array(7)), RangeError);
});

// OpenBSD's bcrypt_pbkdf regress vectors.
const BCRYPT_PBKDF: ReadonlyArray<readonly [string, string, number, string]> = [
  ['password', 'salt', 4, '5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9'],
  ['password', '\0', 4, 'c12b566235eee04c212598970a579a67'],
  ['\0', 'salt', 4, '6051be18c2f4f82cbf0efee5471b4bb9'],
  ['password\0', 'salt\0', 4, '7410e44cf4fa07bfaac8a928b1727fac001375e7bf7384370f48efd121743050'],
  ['pass\0wor', 'sa\0l', 4, 'c2bffd9db38f6569efef4372f4de83c0'],
  ['pass\0word', 'sa\0lt', 4, '4ba4ac3925c0e8d7f0cdb6bb1684a56f'],
  [
    'password',
    'salt',
    8,
    'e1367ec5151a33faac4cc1c144cd23fa15d5548493ecc99b9b5d9c0d3b27bec76227ea66088b849b20ab7aa478010246e74bba51723fefa9f9474d6508845e8d',
  ],
  ['password', 'salt', 42, '833cf0dcf56db65608e8f0dc0ce882bd'],
];
for (const [pass, salt, rounds, out] of BCRYPT_PBKDF) {
  test(`bcrypt_pbkdf(${JSON.stringify(pass)}, ${JSON.stringify(salt)}, ${rounds}) -> ${out.length / 2} bytes`, () => {
    assert.equal(toHex(bcryptPbkdf(utf8(pass), utf8(salt), rounds, out.length / 2)), out);
  });
}

test('bcrypt_pbkdf refuses what OpenSSH refuses', () => {
  assert.throws(() => bcryptPbkdf(new Uint8Array(0), utf8('salt'), 4, 16), RangeError);
  assert.throws(() => bcryptPbkdf(utf8('pw'), new Uint8Array(0), 4, 16), RangeError);
  assert.throws(() => bcryptPbkdf(utf8('pw'), utf8('salt'), 0, 16), RangeError);
  assert.throws(() => bcryptPbkdf(utf8('pw'), utf8('salt'), 1, 0), RangeError);
  assert.throws(() => bcryptPbkdf(utf8('pw'), utf8('salt'), 1, 1025), RangeError);
});

// NIST SP 800-38A F.5.1 (CTR-AES128) and F.5.5 (CTR-AES256), first two blocks.
const CTR_IV = 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff';
const PLAIN = '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51';
test('AES-128-CTR, SP 800-38A F.5.1', () => {
  const out = aesCtr(fromHex('2b7e151628aed2a6abf7158809cf4f3c'), fromHex(CTR_IV), fromHex(PLAIN));
  assert.equal(toHex(out), '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff');
});
test('AES-256-CTR, SP 800-38A F.5.5, one shot and streamed in odd pieces', () => {
  const key = fromHex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
  const want = '601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5';
  assert.equal(toHex(aesCtr(key, fromHex(CTR_IV), fromHex(PLAIN))), want);
  const s = aesCtrStream(key, fromHex(CTR_IV));
  const p = fromHex(PLAIN);
  assert.equal(toHex(s.update(p.subarray(0, 5))) + toHex(s.update(p.subarray(5, 21))) + toHex(s.update(p.subarray(21))), want);
});
test('AES-256-CBC without padding, SP 800-38A F.2.5, and back', () => {
  const key = fromHex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
  const iv = fromHex('000102030405060708090a0b0c0d0e0f');
  const c = aesCbcEncrypt(key, iv, fromHex(PLAIN));
  assert.equal(toHex(c), 'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d');
  assert.equal(toHex(aesCbcDecrypt(key, iv, c)), PLAIN);
  assert.throws(() => aesCbcEncrypt(key, iv, new Uint8Array(15)), RangeError);
  assert.throws(() => aesCtr(new Uint8Array(15), new Uint8Array(16), new Uint8Array(1)), RangeError);
});

test('MD5, RFC 1321 A.5', () => {
  assert.equal(toHex(md5(utf8(''))), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.equal(toHex(md5(utf8('abc'))), '900150983cd24fb0d6963f7d28e17f72');
});
