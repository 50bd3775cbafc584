// AES-GCM, AES-CTR, SHA-1/SHA-2 and HMAC: the node:crypto and @noble/* backends on the same published vectors and
// against each other on random inputs of awkward lengths (empty, around the block sizes, split across calls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  aesCtr,
  aesCtrStream,
  aesGcmOpen,
  aesGcmSeal,
  aesGcmSealDetached,
  hash,
  hashWith,
  hasher,
  hmac,
  hmacWith,
  NOBLE_AES_CTR,
  NOBLE_AES_GCM,
  NODE_AES_CTR,
  NODE_AES_GCM,
  type HashBackend,
  type HashName,
} from '@tssh/ssh-protocol/crypto';
import { concatBytes, fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

const hex = (s: string): Uint8Array => fromHex(s.replace(/\s+/g, ''));
const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const LENGTHS = [0, 1, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256, 1000, 4095, 4096, 4097, 65537];

// --- AES-GCM --------------------------------------------------------------------------------------------------

const GCM_P =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const GCM_A = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
const GCM_K = 'feffe9928665731c6d6a8f9467308308';
const GCM_IV = 'cafebabefacedbaddecaf888';
// The GCM specification's test cases (McGrew and Viega, as NIST SP 800-38D points to): [name, K, IV, A, P, C, T].
const GCM_VECTORS: [string, string, string, string, string, string, string][] = [
  ['1', '00000000000000000000000000000000', '000000000000000000000000', '', '', '', '58e2fccefa7e3061367f1d57a4e7455a'],
  ['2', '00000000000000000000000000000000', '000000000000000000000000', '', '00000000000000000000000000000000', '0388dace60b6a392f328c2b971b2fe78', 'ab6e47d42cec13bdf53a67b21257bddf'],
  ['3', GCM_K, GCM_IV, '', GCM_P,
    '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985', '4d5c2af327cd64a62cf35abd2ba6fab4'],
  ['4', GCM_K, GCM_IV, GCM_A, GCM_P.slice(0, 120),
    '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091', '5bc94fbc3221a5db94fae95ae7121a47'],
  ['13', '0'.repeat(64), '000000000000000000000000', '', '', '', '530f8afbc74536b9a963b4f1c4cb738b'],
  ['14', '0'.repeat(64), '000000000000000000000000', '', '00000000000000000000000000000000', 'cea7403d4d606b6e074ec5d3baf39d18', 'd0d1c8a799996bf0265b98b5d48ab919'],
  ['15', GCM_K + GCM_K, GCM_IV, '', GCM_P,
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad', 'b094dac5d93471bdec1a502270e3cc6c'],
  ['16', GCM_K + GCM_K, GCM_IV, GCM_A, GCM_P.slice(0, 120),
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662', '76fc6ece0f4e1768cddf8853bb2d551b'],
];

for (const g of [NODE_AES_GCM, NOBLE_AES_GCM]) {
  test(`AES-GCM (${g.name}): GCM specification test cases 1-4 and 13-16`, () => {
    for (const [name, k, iv, a, p, c, t] of GCM_VECTORS) {
      const sealed = aesGcmSeal(hex(k), hex(iv), hex(a), hex(p), g);
      assert.equal(toHex(sealed), c + t, `test case ${name}`);
      const detached = aesGcmSealDetached(hex(k), hex(iv), hex(a), hex(p), g);
      assert.equal(toHex(detached.ciphertext), c);
      assert.equal(toHex(detached.tag), t);
      assert.equal(toHex(aesGcmOpen(hex(k), hex(iv), hex(a), sealed, g)!), p, `test case ${name}`);
    }
  });

  test(`AES-GCM (${g.name}): a changed byte anywhere, a short input or a bad key is refused`, () => {
    const [, k, iv, a, p] = GCM_VECTORS[3];
    const sealed = aesGcmSeal(hex(k), hex(iv), hex(a), hex(p), g);
    for (let i = 0; i < sealed.length; i++) {
      const bad = sealed.slice();
      bad[i] ^= 0x80;
      assert.equal(aesGcmOpen(hex(k), hex(iv), hex(a), bad, g), undefined, `byte ${i}`);
    }
    const otherAad = hex(a);
    otherAad[0] ^= 1;
    assert.equal(aesGcmOpen(hex(k), hex(iv), otherAad, sealed, g), undefined);
    assert.equal(aesGcmOpen(hex(k), hex(iv), hex(a), sealed.subarray(0, 15), g), undefined);
    assert.equal(aesGcmOpen(hex(k), hex(iv), hex(a), new Uint8Array(0), g), undefined);
    assert.throws(() => aesGcmSeal(random(24), hex(iv), hex(a), hex(p), g), RangeError);
    assert.throws(() => aesGcmOpen(random(15), hex(iv), hex(a), sealed, g), RangeError);
  });
}

test('AES-GCM: node and noble agree on random keys, AAD and plaintexts of every awkward length', () => {
  for (const len of LENGTHS) {
    for (const keyLength of [16, 32]) {
      const key = random(keyLength);
      const iv = random(12);
      const aad = random(len % 37);
      const plain = random(len);
      const sealed = aesGcmSeal(key, iv, aad, plain, NODE_AES_GCM);
      assert.deepEqual(aesGcmSeal(key, iv, aad, plain, NOBLE_AES_GCM), sealed, `${len} bytes`);
      assert.deepEqual(aesGcmOpen(key, iv, aad, sealed, NOBLE_AES_GCM), plain);
      assert.deepEqual(aesGcmOpen(key, iv, aad, sealed, NODE_AES_GCM), plain);
    }
  }
});

// --- AES-CTR --------------------------------------------------------------------------------------------------

// NIST SP 800-38A F.5.1, F.5.3 and F.5.5 (CTR-AES128/192/256.Encrypt).
const CTR_IV = 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff';
const CTR_P = '6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710';
const CTR_VECTORS: [string, string, string][] = [
  ['F.5.1', '2b7e151628aed2a6abf7158809cf4f3c', '874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff 5ae4df3edbd5d35e5b4f09020db03eab 1e031dda2fbe03d1792170a0f3009cee'],
  ['F.5.3', '8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b', '1abc932417521ca24f2b0459fe7e6e0b 090339ec0aa6faefd5ccc2c6f4ce8e94 1e36b26bd1ebc670d1bd1d665620abf7 4f78a7f6d29809585a97daec58c6b050'],
  ['F.5.5', '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4', '601ec313775789a5b7a7f504bbf3d228 f443e3ca4d62b59aca84e990cacaf5c5 2b0930daa23de94ce87017ba2d84988d dfc9c58db67aada613c2dd08457941a6'],
];

/** Feeds `data` to a stream in pieces of the given lengths (cycled), returning the output joined. */
function streamed(stream: { update(d: Uint8Array): Uint8Array }, data: Uint8Array, pieces: readonly number[]): Uint8Array {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < data.length || i === 0; i++) {
    const n = Math.min(pieces[i % pieces.length], data.length - at);
    out.push(stream.update(data.subarray(at, at + n)));
    at += n;
  }
  return concatBytes(...out);
}

for (const c of [NODE_AES_CTR, NOBLE_AES_CTR]) {
  test(`AES-CTR (${c.name}): SP 800-38A F.5.1, F.5.3, F.5.5, one-shot and as a stream in odd pieces`, () => {
    for (const [name, k, ct] of CTR_VECTORS) {
      assert.equal(toHex(aesCtr(hex(k), hex(CTR_IV), hex(CTR_P), c)), toHex(hex(ct)), name);
      assert.equal(toHex(aesCtr(hex(k), hex(CTR_IV), hex(ct), c)), toHex(hex(CTR_P)), name);
      for (const pieces of [[1], [15], [16], [17], [0, 5, 0, 33], [64]]) {
        assert.equal(toHex(streamed(aesCtrStream(hex(k), hex(CTR_IV), c), hex(CTR_P), pieces)), toHex(hex(ct)), `${name} ${pieces}`);
      }
    }
  });

  test(`AES-CTR (${c.name}): bad key or IV lengths throw`, () => {
    assert.throws(() => aesCtrStream(random(20), random(16), c), RangeError);
    assert.throws(() => aesCtrStream(random(16), random(12), c), RangeError);
  });
}

test('AES-CTR: node and noble agree on random data in random pieces, across 32- and 64-bit counter carries and the 128-bit wrap', () => {
  const ivs = [
    random(16),
    hex('000102030405060708090a0bfffffffe'),
    hex('0001020304050607fffffffffffffffd'),
    hex('fffffffffffffffffffffffffffffffe'),
  ];
  for (const iv of ivs) {
    for (const keyLength of [16, 24, 32]) {
      const key = random(keyLength);
      for (const len of LENGTHS) {
        const data = random(len);
        const expected = aesCtr(key, iv, data, NODE_AES_CTR);
        assert.deepEqual(aesCtr(key, iv, data, NOBLE_AES_CTR), expected, `${toHex(iv)} ${len}`);
        const pieces = Array.from({ length: 5 }, () => randomBytes(1)[0] % 40);
        pieces.push(17);
        assert.deepEqual(streamed(aesCtrStream(key, iv, NOBLE_AES_CTR), data, pieces), expected, `${toHex(iv)} ${len} ${pieces}`);
        assert.deepEqual(streamed(aesCtrStream(key, iv, NODE_AES_CTR), data, pieces), expected);
      }
    }
  }
});

test('AES-CTR (noble): the stream keeps its key when the caller wipes its copy', () => {
  const key = random(16);
  const iv = random(16);
  const expected = aesCtr(key, iv, new Uint8Array(48), NODE_AES_CTR);
  const stream = aesCtrStream(key, iv, NOBLE_AES_CTR);
  const first = stream.update(new Uint8Array(20));
  key.fill(0);
  assert.deepEqual(concatBytes(first, stream.update(new Uint8Array(28))), expected);
});

// --- SHA-1, SHA-2, HMAC ---------------------------------------------------------------------------------------

const BACKENDS: readonly HashBackend[] = ['node', 'noble'];
const NAMES: readonly HashName[] = ['sha1', 'sha256', 'sha384', 'sha512'];
const TWO_BLOCKS = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
// FIPS 180-4 examples (NIST's "abc", the 448-bit two-block message) and the empty message.
const HASH_VECTORS: [HashName, string, string][] = [
  ['sha1', '', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['sha1', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['sha1', TWO_BLOCKS, '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
  ['sha256', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['sha256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['sha256', TWO_BLOCKS, '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ['sha384', '', '38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b'],
  ['sha384', 'abc', 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
  ['sha512', '', 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e'],
  ['sha512', 'abc', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
];
// RFC 4231 test cases 1, 2 and 6 (6: a key longer than the block), and RFC 2202 test case 1 for HMAC-SHA-1.
const LONG_KEY_DATA = 'Test Using Larger Than Block-Size Key - Hash Key First';
const HMAC_VECTORS: [HashName, Uint8Array, string, string][] = [
  ['sha1', new Uint8Array(20).fill(0x0b), 'Hi There', 'b617318655057264e28bc0b6fb378c8ef146be00'],
  ['sha256', new Uint8Array(20).fill(0x0b), 'Hi There', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
  ['sha384', new Uint8Array(20).fill(0x0b), 'Hi There', 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6'],
  ['sha512', new Uint8Array(20).fill(0x0b), 'Hi There', '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854'],
  ['sha256', utf8('Jefe'), 'what do ya want for nothing?', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
  ['sha512', utf8('Jefe'), 'what do ya want for nothing?', '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737'],
  ['sha256', new Uint8Array(131).fill(0xaa), LONG_KEY_DATA, '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
  ['sha512', new Uint8Array(131).fill(0xaa), LONG_KEY_DATA, '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598'],
];

for (const b of BACKENDS) {
  test(`SHA-1/SHA-2 (${b}): FIPS 180-4 examples, whole, in parts and incrementally`, () => {
    for (const [name, text, digest] of HASH_VECTORS) {
      const m = utf8(text);
      assert.equal(toHex(hashWith(b, name, m)), digest, `${name} "${text}"`);
      assert.equal(toHex(hashWith(b, name, m.subarray(0, 1), m.subarray(1))), digest);
      assert.equal(toHex(hasher(name, b).update(m.subarray(0, 2)).update(new Uint8Array(0)).update(m.subarray(2)).digest()), digest);
    }
  });

  test(`HMAC (${b}): RFC 4231 test cases 1, 2 and 6 and RFC 2202 test case 1`, () => {
    for (const [name, key, text, mac] of HMAC_VECTORS) {
      const m = utf8(text);
      assert.equal(toHex(hmacWith(b, name, key, m)), mac, `${name} "${text}"`);
      assert.equal(toHex(hmacWith(b, name, key, m.subarray(0, 3), new Uint8Array(0), m.subarray(3))), mac);
    }
  });
}

test('SHA-1/SHA-2 and HMAC: node and noble agree on random inputs of every awkward length, and the defaults are node', () => {
  for (const name of NAMES) {
    for (const len of LENGTHS) {
      const data = random(len);
      const key = random(len % 200); // empty keys and keys longer than a block included
      const cut = len >> 1;
      const digest = hashWith('node', name, data);
      assert.deepEqual(hashWith('noble', name, data.subarray(0, cut), data.subarray(cut)), digest, `${name} ${len}`);
      assert.deepEqual(hasher(name, 'noble').update(data.subarray(0, cut)).update(data.subarray(cut)).digest(), digest);
      assert.deepEqual(hash(name, data), digest);
      const mac = hmacWith('node', name, key, data);
      assert.deepEqual(hmacWith('noble', name, key, data.subarray(0, cut), data.subarray(cut)), mac, `HMAC ${name} ${len}`);
      assert.deepEqual(hmac(name, key, data), mac);
    }
  }
});
