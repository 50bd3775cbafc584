import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chacha20Xor } from '@tssh/ssh-protocol/crypto';
import { fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

// RFC 8439 §2.4.2 in the original layout (64-bit counter 1, 64-bit nonce 0000004a00000000), as in crypto-vectors.
const SUNSCREEN =
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
const SUNSCREEN_CT =
  '6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f' +
  '530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d';

test('RFC 8439 §2.4.2 ChaCha20 encryption (wasm)', () => {
  const key = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  const nonce = fromHex('0000004a00000000');
  assert.equal(toHex(chacha20Xor(key, nonce, 1, utf8(SUNSCREEN), 'wasm')), SUNSCREEN_CT);
  assert.equal(toHex(chacha20Xor(key, nonce, 1, fromHex(SUNSCREEN_CT), 'wasm')), toHex(utf8(SUNSCREEN)));
});

// RFC 8439 A.1 #1: the all-zero key and nonce, block 0: the keystream itself.
test('RFC 8439 A.1 ChaCha20 block, test vector #1 (wasm)', () => {
  assert.equal(
    toHex(chacha20Xor(new Uint8Array(32), new Uint8Array(8), 0, new Uint8Array(64), 'wasm')),
    '76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7' +
      'da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586',
  );
});

test('ChaCha20 wasm agrees with noble across lengths, counters and chunks', () => {
  const key = new Uint8Array(32).map((_, i) => (i * 7 + 1) & 0xff);
  const nonce = fromHex('f0e1d2c3b4a59687');
  for (const counter of [0, 1, 7, 0xfffffff0]) {
    for (let len = 0; len <= 300; len += len < 70 ? 1 : 23) {
      const data = new Uint8Array(len).map((_, i) => i * 13);
      assert.equal(
        toHex(chacha20Xor(key, nonce, counter, data, 'wasm')),
        toHex(chacha20Xor(key, nonce, counter, data, 'noble')),
        `counter ${counter}, length ${len}`,
      );
    }
  }
  // The module's buffer holds 65,408 bytes: these lengths take one, two and four calls.
  for (const len of [65408, 65409, 200000]) {
    const data = new Uint8Array(len).map((_, i) => i);
    for (const counter of [1, 0x1000]) {
      assert.equal(
        toHex(chacha20Xor(key, nonce, counter, data, 'wasm')),
        toHex(chacha20Xor(key, nonce, counter, data, 'noble')),
        `counter ${counter}, length ${len}`,
      );
    }
  }
});

test('ChaCha20 wasm carries its block counter into the high word', () => {
  // Block by block, each block's counter set directly (node takes the whole 64-bit counter in its IV).
  const key = new Uint8Array(32).map((_, i) => i);
  const nonce = fromHex('0102030405060708');
  const start = 0xfffffffe;
  const blocks = [0, 1, 2, 3].map((i) => toHex(chacha20Xor(key, nonce, start + i, new Uint8Array(64), 'node')));
  assert.equal(toHex(chacha20Xor(key, nonce, start, new Uint8Array(256), 'wasm')), blocks.join(''));
  assert.equal(toHex(chacha20Xor(key, nonce, 0x100000000, new Uint8Array(64), 'wasm')), blocks[2]);
});

test('ChaCha20 wasm agrees with node (OpenSSL) for the counters SSH uses', () => {
  const key = new Uint8Array(32).map((_, i) => 255 - i);
  const nonce = fromHex('00000000deadbeef');
  for (const len of [0, 4, 32, 64, 65, 4096 + 7]) {
    for (const counter of [0, 1]) {
      const data = new Uint8Array(len).map((_, i) => i ^ 0x5a);
      assert.equal(toHex(chacha20Xor(key, nonce, counter, data, 'wasm')), toHex(chacha20Xor(key, nonce, counter, data, 'node')));
    }
  }
});

test('ChaCha20 wasm rejects a bad key or nonce length', () => {
  assert.throws(() => chacha20Xor(new Uint8Array(31), new Uint8Array(8), 0, new Uint8Array(4), 'wasm'), RangeError);
  assert.throws(() => chacha20Xor(new Uint8Array(32), new Uint8Array(12), 0, new Uint8Array(4), 'wasm'), RangeError);
});
