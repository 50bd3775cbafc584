import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chacha20Xor, poly1305Mac } from '@tssh/ssh-protocol/crypto';
import { chachaOpener, chachaSealer } from '@tssh/ssh-protocol/transport';
import { MacError, concatBytes, fromHex, toHex } from '@tssh/ssh-protocol/wire';

// OpenSSH PROTOCOL.chacha20poly1305, built by hand from the primitives: the sealer must produce exactly this.
function referenceSeal(key: Uint8Array, seq: number, packet: Uint8Array): Uint8Array {
  const k2 = key.subarray(0, 32);
  const k1 = key.subarray(32, 64);
  const nonce = new Uint8Array(8);
  new DataView(nonce.buffer).setUint32(4, seq);
  const encLen = chacha20Xor(k1, nonce, 0, packet.subarray(0, 4), 'noble');
  const encBody = chacha20Xor(k2, nonce, 1, packet.subarray(4), 'noble');
  const polyKey = chacha20Xor(k2, nonce, 0, new Uint8Array(32), 'noble');
  const tag = poly1305Mac(polyKey, Buffer.concat([encLen, encBody]));
  return Buffer.concat([encLen, encBody, tag]);
}

const KEY = fromHex(
  '8bbff6855fc1b3a8a1b2d0e63cbab22ce12c1b1deb9ab13fa7d4a9b6f1a23a5c' +
    '0a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff0',
);

for (const backend of ['node', 'noble'] as const) {
  for (const seq of [0, 1, 7, 0xffffffff]) {
    test(`chacha20-poly1305@openssh.com packet, seq ${seq}, ${backend} backend`, () => {
      const packet = fromHex('0000001c0a5e000000036162630000000000000000000000000000000000000000');
      const sealed = concatBytes(...chachaSealer(KEY, backend).seal(seq, packet));
      assert.equal(toHex(sealed), toHex(referenceSeal(KEY, seq, packet)));
      const opener = chachaOpener(KEY, backend);
      assert.equal(opener.packetLength(seq, sealed.subarray(0, 4)), 0x1c);
      assert.deepEqual(opener.open(seq, sealed), packet.subarray(4));
    });
  }
}

test('chacha20-poly1305: a flipped bit anywhere fails the tag', () => {
  const packet = fromHex('0000000c0a5e00000000000000000000');
  const sealed = concatBytes(...chachaSealer(KEY).seal(3, packet));
  for (let i = 0; i < sealed.length; i++) {
    const bad = sealed.slice();
    bad[i] ^= 0x80;
    assert.throws(() => chachaOpener(KEY).open(3, bad), MacError);
  }
  assert.throws(() => chachaOpener(KEY).open(4, sealed), MacError, 'wrong sequence number');
});
