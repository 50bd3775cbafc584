import { chacha20Xor, constantTimeEqual, poly1305Mac, type ChachaBackend } from '../../crypto/index.js';
import { MacError } from '../../wire/index.js';
import type { CipherSpec, PacketOpener, PacketSealer } from './packet-cipher.js';

// OpenSSH PROTOCOL.chacha20poly1305: 64 bytes of key: K_2 (main, bytes 0..31) and K_1 (header, bytes 32..63).
// The length is encrypted with K_1 and the packet sequence number as nonce; the payload with K_2, block counter 1;
// the Poly1305 key is the first 32 bytes of K_2's keystream at block counter 0; the tag covers both ciphertexts.

const TAG = 16;

function nonceOf(seq: number): Uint8Array {
  const n = new Uint8Array(8);
  new DataView(n.buffer).setUint32(4, seq >>> 0, false);
  return n;
}

class ChachaPoly {
  readonly mainKey: Uint8Array;
  readonly headerKey: Uint8Array;
  constructor(
    key: Uint8Array,
    readonly backend: ChachaBackend,
  ) {
    if (key.length !== 64) throw new RangeError('chacha20-poly1305@openssh.com needs 64 bytes of key');
    this.mainKey = key.slice(0, 32);
    this.headerKey = key.slice(32, 64);
  }

  polyKey(nonce: Uint8Array): Uint8Array {
    return chacha20Xor(this.mainKey, nonce, 0, new Uint8Array(32), this.backend);
  }
}

export function chachaSealer(key: Uint8Array, backend: ChachaBackend = 'node'): PacketSealer {
  const c = new ChachaPoly(key, backend);
  return {
    seal(seq, packet) {
      const nonce = nonceOf(seq);
      const out = new Uint8Array(packet.length + TAG);
      out.set(chacha20Xor(c.headerKey, nonce, 0, packet.subarray(0, 4), backend), 0);
      out.set(chacha20Xor(c.mainKey, nonce, 1, packet.subarray(4), backend), 4);
      out.set(poly1305Mac(c.polyKey(nonce), out.subarray(0, packet.length)), packet.length);
      return out;
    },
  };
}

export function chachaOpener(key: Uint8Array, backend: ChachaBackend = 'node'): PacketOpener {
  const c = new ChachaPoly(key, backend);
  return {
    headerLength: 4,
    trailerLength: TAG,
    packetLength(seq, header) {
      const len = chacha20Xor(c.headerKey, nonceOf(seq), 0, header.subarray(0, 4), backend);
      return ((len[0] << 24) | (len[1] << 16) | (len[2] << 8) | len[3]) >>> 0;
    },
    open(seq, wire) {
      const nonce = nonceOf(seq);
      const body = wire.subarray(0, wire.length - TAG);
      const tag = poly1305Mac(c.polyKey(nonce), body);
      if (!constantTimeEqual(tag, wire.subarray(wire.length - TAG))) throw new MacError(seq);
      return chacha20Xor(c.mainKey, nonce, 1, body.subarray(4), backend);
    },
  };
}

export const chacha20Poly1305: CipherSpec = Object.freeze({
  name: 'chacha20-poly1305@openssh.com',
  keyLength: 64,
  ivLength: 0,
  blockSize: 8,
  lengthExcludedFromAlignment: true,
  aead: true,
  createSealer: (key: Uint8Array) => chachaSealer(key),
  createOpener: (key: Uint8Array) => chachaOpener(key),
});
