// X25519, Ed25519 and NIST-curve ECDH: the node:crypto and @noble/curves backends on the same published vectors,
// against each other on random inputs, and refusing the same bad inputs the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  nistPublicKey,
  nistSecretKey,
  nistSeedLength,
  nistSharedSecret,
  nistOrder,
  x25519PublicKey,
  x25519SharedSecret,
  X25519_LOW_ORDER_MESSAGE,
  type Ed25519Backend,
  type NistCurveName,
  type NistEcdhBackend,
  type X25519Backend,
} from '@tssh/ssh-protocol/crypto';
import { fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

const BACKENDS = ['node', 'noble'] as const satisfies readonly (X25519Backend & Ed25519Backend & NistEcdhBackend)[];
const hex = (s: string): Uint8Array => fromHex(s.replace(/\s+/g, ''));
const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

function leBytes(n: bigint, length = 32): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}
const leNumber = (b: Uint8Array): bigint => b.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);

// --- X25519 ---------------------------------------------------------------------------------------------------

// RFC 7748 §5.2 (the second u has its top bit set, which must be ignored) and §6.1.
const X25519_VECTORS = [
  ['a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4', 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c', 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552'],
  ['4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d', 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493', '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957'],
] as const;
const ALICE = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const ALICE_PUBLIC = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
const BOB = '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb';
const BOB_PUBLIC = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
const SHARED = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

// Points of order 1, 2, 4 and 8 and their non-canonical encodings (u + p), each also with the ignored top bit set:
// every one makes the shared secret zero.
const P = 2n ** 255n - 19n;
const LOW_ORDER_U = [
  0n,
  1n,
  0x00b8495f16056286fdb1329ceb8d09da6ac49ff1fae35616aeb8413b7c7aebe0n,
  0x57119fd0dd4e22d8868e1c58c45c44045bef839c55b1d0b1248c50a3bc959c5fn,
  P - 1n,
  P,
  P + 1n,
];
const lowOrderPoints = (): Uint8Array[] =>
  LOW_ORDER_U.flatMap((u) => {
    const b = leBytes(u);
    const high = b.slice();
    high[31] |= 0x80;
    return [b, high];
  });

for (const b of BACKENDS) {
  test(`X25519 (${b}): RFC 7748 §5.2 and §6.1 vectors`, () => {
    for (const [k, u, out] of X25519_VECTORS) assert.equal(toHex(x25519SharedSecret(hex(k), hex(u), b)), out);
    assert.equal(toHex(x25519PublicKey(hex(ALICE), b)), ALICE_PUBLIC);
    assert.equal(toHex(x25519PublicKey(hex(BOB), b)), BOB_PUBLIC);
    assert.equal(toHex(x25519SharedSecret(hex(ALICE), hex(BOB_PUBLIC), b)), SHARED);
    assert.equal(toHex(x25519SharedSecret(hex(BOB), hex(ALICE_PUBLIC), b)), SHARED);
  });

  test(`X25519 (${b}): RFC 7748 §5.2 iterated 1 and 1000 times`, () => {
    let k = leBytes(9n);
    let u = leBytes(9n);
    for (let i = 1; i <= 1000; i++) {
      [k, u] = [x25519SharedSecret(k, u, b), k];
      if (i === 1) assert.equal(toHex(k), '422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
    }
    assert.equal(toHex(k), '684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });

  test(`X25519 (${b}): every low-order point throws the one low-order error; bad lengths throw`, () => {
    for (const point of lowOrderPoints()) {
      assert.throws(() => x25519SharedSecret(random(32), point, b), { name: 'RangeError', message: X25519_LOW_ORDER_MESSAGE }, toHex(point));
    }
    assert.throws(() => x25519SharedSecret(random(32), random(31), b), RangeError);
    assert.throws(() => x25519SharedSecret(random(32), random(33), b), RangeError);
    assert.throws(() => x25519SharedSecret(random(31), random(32), b), RangeError);
    assert.throws(() => x25519PublicKey(random(33), b), RangeError);
  });
}

test('X25519: node and noble agree on random secrets and random peer bytes (top bit and u >= p included)', () => {
  for (let i = 0; i < 100; i++) {
    const secret = random(32);
    assert.deepEqual(x25519PublicKey(secret, 'node'), x25519PublicKey(secret, 'noble'));
    const peer = i < 10 ? leBytes(P + 2n + BigInt(i)) : random(32); // non-canonical encodings of 2..11 first
    assert.equal(toHex(x25519SharedSecret(secret, peer, 'node')), toHex(x25519SharedSecret(secret, peer, 'noble')));
  }
});

// --- Ed25519 --------------------------------------------------------------------------------------------------

// RFC 8032 §7.1 tests 1-3.
const ED25519_VECTORS = [
  ['9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '', 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
  ['4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72', '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
  ['c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'af82', '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'],
] as const;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** Signatures and keys that are not valid, each named, with the answer both backends must give. */
function edEdgeCases(): [string, Uint8Array, Uint8Array, Uint8Array, boolean][] {
  const [seedHex, publicHex, messageHex, signatureHex] = ED25519_VECTORS[1];
  const pub = hex(publicHex);
  const msg = hex(messageHex);
  const sig = hex(signatureHex);
  const withS = (s: bigint): Uint8Array => Uint8Array.of(...sig.subarray(0, 32), ...leBytes(s));
  const s = leNumber(sig.subarray(32));
  const identity = leBytes(1n);
  const zeroS = new Uint8Array(32);
  const flipped = sig.slice();
  flipped[40] ^= 0x10;
  return [
    ['valid', pub, msg, sig, true],
    ['public key 31 bytes', pub.subarray(0, 31), msg, sig, false],
    ['public key 33 bytes', Uint8Array.of(...pub, 0), msg, sig, false],
    ['signature 63 bytes', pub, msg, sig.subarray(0, 63), false],
    ['signature 65 bytes', pub, msg, Uint8Array.of(...sig, 0), false],
    ['empty signature', pub, msg, new Uint8Array(0), false],
    ['S + L (non-canonical S)', pub, msg, withS(s + L), false],
    ['S = L', pub, msg, withS(L), false],
    ['S = 2^256 - 1', pub, msg, withS(2n ** 256n - 1n), false],
    ['S changed', pub, msg, flipped, false],
    ['other message', pub, utf8('other'), sig, false],
    ['public key of another seed', ed25519PublicKey(hex(seedHex).map((x) => x ^ 1)), msg, sig, false],
    ['public key not on the curve', leBytes(2n), msg, sig, false],
    // A = identity, R = identity, S = 0 satisfies [S]B = R + [k]A for any message: OpenSSL accepts it (as does
    // OpenSSH's ref10 code), so the noble backend does too.
    ['identity public key, R = identity, S = 0', identity, msg, Uint8Array.of(...identity, ...zeroS), true],
    ['identity encoded as y = p + 1', leBytes(P + 1n), msg, Uint8Array.of(...identity, ...zeroS), true],
    ['R encoded as y = p + 1 (non-canonical R)', identity, msg, Uint8Array.of(...leBytes(P + 1n), ...zeroS), false],
    ['R = identity with the sign bit set', identity, msg, Uint8Array.of(...leBytes(1n | (1n << 255n)), ...zeroS), false],
  ];
}

for (const b of BACKENDS) {
  test(`Ed25519 (${b}): RFC 8032 §7.1 tests 1-3`, () => {
    for (const [seed, pub, message, signature] of ED25519_VECTORS) {
      assert.equal(toHex(ed25519PublicKey(hex(seed), b)), pub);
      assert.equal(toHex(ed25519Sign(hex(seed), hex(message), b)), signature);
      assert.ok(ed25519Verify(hex(pub), hex(message), hex(signature), b));
    }
  });

  test(`Ed25519 (${b}): malformed and edge-case signatures`, () => {
    for (const [what, pub, msg, sig, valid] of edEdgeCases()) assert.equal(ed25519Verify(pub, msg, sig, b), valid, what);
    assert.throws(() => ed25519Sign(random(31), random(4), b), RangeError);
    assert.throws(() => ed25519PublicKey(random(33), b), RangeError);
  });
}

test('Ed25519: node and noble agree on random seeds and messages, and on corrupted signatures', () => {
  for (let i = 0; i < 60; i++) {
    const seed = random(32);
    const message = random(i === 0 ? 0 : (i * 37) % 300);
    const pub = ed25519PublicKey(seed, 'node');
    assert.deepEqual(ed25519PublicKey(seed, 'noble'), pub);
    const sig = ed25519Sign(seed, message, 'node');
    assert.deepEqual(ed25519Sign(seed, message, 'noble'), sig);
    assert.ok(ed25519Verify(pub, message, sig, 'node') && ed25519Verify(pub, message, sig, 'noble'));
    const bad = sig.slice();
    bad[i % 64] ^= 1 << i % 8;
    const junkKey = random(32); // about half of all y decode to a point
    for (const [p, s] of [[pub, bad], [junkKey, sig], [pub, random(64)]]) {
      assert.equal(ed25519Verify(p, message, s, 'node'), ed25519Verify(p, message, s, 'noble'));
    }
  }
});

// --- ECDH on the NIST curves ----------------------------------------------------------------------------------

// RFC 5903 §8.1 (P-256), and NIST CAVS 14.1 ECC CDH COUNT = 0 for each curve (as in kex-ecdh-nist.test.ts).
const NIST_VECTORS: [NistCurveName, string, string, string, string][] = [
  ['nistp256', 'C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433',
    '04 DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180 5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3',
    '04 D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63 56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB',
    'D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE'],
  ['nistp256', '7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534',
    '04ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b23028af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141',
    '04700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac',
    '46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b'],
  ['nistp384', '3cc3122a68f0d95027ad38c067916ba0eb8c38894d22e1b15618b6818a661774ad463b205da88cf699ab4d43c9cf98a1',
    '049803807f2f6d2fd966cdd0290bd410c0190352fbec7ff6247de1302df86f25d34fe4a97bef60cff548355c015dbb3e5fba26ca69ec2f5b5d9dad20cc9da711383a9dbe34ea3fa5a2af75b46502629ad54dd8b7d73a8abb06a3a3be47d650cc99',
    '04a7c76b970c3b5fe8b05d2838ae04ab47697b9eaf52e764592efda27fe7513272734466b400091adbf2d68c58e0c50066ac68f19f2e1cb879aed43a9969b91a0839c4c38a49749b661efedf243451915ed0905a32b060992b468c64766fc8437a',
    '5f9d29dc5e31a163060356213669c8ce132e22f57c9a04f40ba7fcead493b457e5621e766c40a2e3d4d6a04b25e533f1'],
  ['nistp521', '017eecc07ab4b329068fba65e56a1f8890aa935e57134ae0ffcce802735151f4eac6564f6ee9974c5e6887a1fefee5743ae2241bfeb95d5ce31ddcb6f9edb4d6fc47',
    '0400602f9d0cf9e526b29e22381c203c48a886c2b0673033366314f1ffbcba240ba42f4ef38a76174635f91e6b4ed34275eb01c8467d05ca80315bf1a7bbd945f550a501b7c85f26f5d4b2d7355cf6b02117659943762b6d1db5ab4f1dbc44ce7b2946eb6c7de342962893fd387d1b73d7a8672d1f236961170b7eb3579953ee5cdc88cd2d',
    '0400685a48e86c79f0f0875f7bc18d25eb5fc8c0b07e5da4f4370f3a9490340854334b1e1b87fa395464c60626124a4e70d0f785601d37c09870ebf176666877a2046d01ba52c56fc8776d9e8f5db4f0cc27636d0b741bbe05400697942e80b739884a83bde99e0f6716939e632bc8986fa18dccd443a348b6c3e522497955a4f3c302f676',
    '005fc70477c3e63bc3954bd0df3ea0d1f41ee21746ed95fc5e1fdf90930d5e136672d72cc770742d1711c3c3a4c334a0ad9759436a4d3c5bf6e74b9578fac148c831'],
];
const CURVES: readonly NistCurveName[] = ['nistp256', 'nistp384', 'nistp521'];
const FIELD_PRIME: Record<NistCurveName, bigint> = {
  nistp256: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
  nistp384: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
  nistp521: 2n ** 521n - 1n,
};

function beBytes(n: bigint, length: number): Uint8Array {
  return leBytes(n, length).reverse();
}

/** Points each backend must refuse with the same message, beyond what kex-ecdh-nist.test.ts covers. */
function badNistPoints(curve: NistCurveName, good: Uint8Array): [string, Uint8Array, RegExp][] {
  const len = (good.length - 1) / 2;
  const offCurve = good.slice();
  offCurve[offCurve.length - 1] ^= 1;
  const zero = new Uint8Array(good.length);
  zero[0] = 4;
  // x + p with y unchanged: the same point, were coordinates reduced; must be refused (for P-521 x + p does not fit).
  const x = leNumber(good.subarray(1, 1 + len).slice().reverse()) + FIELD_PRIME[curve];
  const points: [string, Uint8Array, RegExp][] = [
    ['off the curve', offCurve, /not a point on the curve/],
    ['(0, 0)', zero, /point at infinity/],
    ['compressed', good.subarray(0, 1 + len), /not an uncompressed point/],
    ['prefix 0x06', Uint8Array.of(6, ...good.subarray(1)), /not an uncompressed point/],
  ];
  if (x < 2n ** BigInt(8 * len)) points.push(['x + p', Uint8Array.of(4, ...beBytes(x, len), ...good.subarray(1 + len)), /not a point on the curve/]);
  return points;
}

for (const b of BACKENDS) {
  test(`ECDH P-256/384/521 (${b}): RFC 5903 §8.1 and CAVS vectors`, () => {
    for (const [curve, d, q, peer, z] of NIST_VECTORS) {
      assert.equal(toHex(nistPublicKey(curve, hex(d), b)), toHex(hex(q)));
      assert.equal(toHex(nistSharedSecret(curve, hex(d), hex(peer), b)), toHex(hex(z)));
    }
  });

  test(`ECDH P-256/384/521 (${b}): bad points and bad scalars refused alike`, () => {
    for (const [curve, d, , peer] of NIST_VECTORS) {
      for (const [what, point, message] of badNistPoints(curve, hex(peer))) {
        assert.throws(() => nistSharedSecret(curve, hex(d), point, b), message, `${curve} ${what}`);
      }
      const n = nistOrder(curve);
      const len = hex(d).length;
      for (const scalar of [0n, n, n + 1n, 2n ** BigInt(8 * len) - 1n]) {
        assert.throws(() => nistPublicKey(curve, beBytes(scalar, len), b), `${curve} scalar ${scalar}`);
        assert.throws(() => nistSharedSecret(curve, beBytes(scalar, len), hex(peer), b), `${curve} scalar ${scalar}`);
      }
      assert.throws(() => nistPublicKey(curve, hex(d).subarray(1), b), RangeError);
    }
  });
}

test('ECDH P-256/384/521: node and noble agree on random key pairs', () => {
  for (const curve of CURVES) {
    for (let i = 0; i < 8; i++) {
      const a = nistSecretKey(curve, random(nistSeedLength(curve)));
      const c = nistSecretKey(curve, random(nistSeedLength(curve)));
      const aPublic = nistPublicKey(curve, a, 'node');
      assert.deepEqual(nistPublicKey(curve, a, 'noble'), aPublic);
      const cPublic = nistPublicKey(curve, c, 'noble');
      const z = nistSharedSecret(curve, c, aPublic, 'node');
      assert.deepEqual(nistSharedSecret(curve, c, aPublic, 'noble'), z);
      assert.deepEqual(nistSharedSecret(curve, a, cPublic, 'noble'), z);
    }
  }
});
