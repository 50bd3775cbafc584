import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aesGcmOpen,
  aesGcmSeal,
  chacha20Xor,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  poly1305Mac,
  x25519PublicKey,
  x25519SharedSecret,
} from '@tssh/ssh-protocol/crypto';
import { fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

// RFC 7748 §6.1 Diffie-Hellman example.
test('RFC 7748 §6.1 X25519 key agreement', () => {
  const alice = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const bob = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  assert.equal(toHex(x25519PublicKey(alice)), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  assert.equal(toHex(x25519PublicKey(bob)), 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
  assert.equal(toHex(x25519SharedSecret(alice, x25519PublicKey(bob))), shared);
  assert.equal(toHex(x25519SharedSecret(bob, x25519PublicKey(alice))), shared);
});

test('RFC 7748 §5.2 X25519 scalar multiplication', () => {
  const k = fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4');
  const u = fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c');
  assert.equal(toHex(x25519SharedSecret(k, u)), 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
});

// RFC 8032 §7.1 tests 1 and 2.
const ED25519 = [
  {
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

for (const [i, v] of ED25519.entries()) {
  test(`RFC 8032 §7.1 Ed25519 test ${i + 1}`, () => {
    const seed = fromHex(v.secret);
    assert.equal(toHex(ed25519PublicKey(seed)), v.public);
    assert.equal(toHex(ed25519Sign(seed, fromHex(v.message))), v.signature);
    assert.ok(ed25519Verify(fromHex(v.public), fromHex(v.message), fromHex(v.signature)));
    const bad = fromHex(v.signature);
    bad[5] ^= 1;
    assert.ok(!ed25519Verify(fromHex(v.public), fromHex(v.message), bad));
  });
}

// RFC 8439 §2.4.2: the IETF layout (32-bit counter 1, 96-bit nonce 000000000000004a00000000) is the original
// layout with a 64-bit counter of 1 and a 64-bit nonce of 000000 4a 00000000.
const SUNSCREEN =
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
const SUNSCREEN_CT =
  '6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d';

for (const backend of ['node', 'noble'] as const) {
  test(`RFC 8439 §2.4.2 ChaCha20 encryption (${backend})`, () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const nonce = fromHex('0000004a00000000');
    assert.equal(toHex(chacha20Xor(key, nonce, 1, utf8(SUNSCREEN), backend)), SUNSCREEN_CT);
  });
}

test('ChaCha20 node and noble backends agree across counters and lengths', () => {
  const key = new Uint8Array(32).map((_, i) => i * 3);
  const nonce = fromHex('0102030405060708');
  for (const len of [0, 1, 63, 64, 65, 1000]) {
    for (const counter of [0, 1, 7]) {
      const data = new Uint8Array(len).map((_, i) => i);
      assert.deepEqual(chacha20Xor(key, nonce, counter, data, 'node'), chacha20Xor(key, nonce, counter, data, 'noble'));
    }
  }
});

test('RFC 8439 §2.5.2 Poly1305', () => {
  const key = fromHex('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b');
  assert.equal(toHex(poly1305Mac(key, utf8('Cryptographic Forum Research Group'))), 'a8061dc1305136c6c22b8baf0c0127a9');
});

// NIST GCM specification, test case 3 (AES-128, no AAD).
test('AES-128-GCM test case 3', () => {
  const key = fromHex('feffe9928665731c6d6a8f9467308308');
  const iv = fromHex('cafebabefacedbaddecaf888');
  const pt = fromHex(
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255',
  );
  const sealed = aesGcmSeal(key, iv, new Uint8Array(0), pt);
  assert.equal(
    toHex(sealed),
    '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985' +
      '4d5c2af327cd64a62cf35abd2ba6fab4',
  );
  assert.deepEqual(aesGcmOpen(key, iv, new Uint8Array(0), sealed), pt);
  sealed[3] ^= 1;
  assert.equal(aesGcmOpen(key, iv, new Uint8Array(0), sealed), undefined);
});
