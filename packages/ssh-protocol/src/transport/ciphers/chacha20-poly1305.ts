import {
  chacha20PolyKeyXor,
  chacha20Xor,
  constantTimeEqual,
  poly1305MacParts,
  type ChachaBackend,
  type Poly1305Backend,
} from '../../crypto/index.js';
import { MacError } from '../../wire/index.js';
import type { CipherSpec, PacketOpener, PacketSealer } from './packet-cipher.js';

// OpenSSH PROTOCOL.chacha20poly1305: 64 bytes of key: K_2 (main, bytes 0..31) and K_1 (header, bytes 32..63).
// The length is encrypted with K_1 and the packet sequence number as nonce; the payload with K_2, block counter 1;
// the Poly1305 key is the first 32 bytes of K_2's keystream at block counter 0; the tag covers both ciphertexts.

const TAG = 16;

/** The 8-byte nonce: the sequence number as a uint64, big-endian. */
function nonceOf(seq: number): Uint8Array {
  const n = new Uint8Array(8);
  n[4] = seq >>> 24;
  n[5] = (seq >>> 16) & 0xff;
  n[6] = (seq >>> 8) & 0xff;
  n[7] = seq & 0xff;
  return n;
}

/**
 * Which implementation runs each primitive: ChaCha20 for the payload and Poly1305 key, ChaCha20 for the 4-byte
 * length, Poly1305. The defaults are the fast ones; tests run the others too.
 */
export interface ChachaPolyBackends {
  readonly chacha: ChachaBackend;
  readonly header: ChachaBackend;
  readonly poly: Poly1305Backend;
}

const FAST: ChachaPolyBackends = { chacha: 'node', header: 'wasm', poly: 'wasm' };

function splitKey(key: Uint8Array): { mainKey: Uint8Array; headerKey: Uint8Array } {
  if (key.length !== 64) throw new RangeError('chacha20-poly1305@openssh.com needs 64 bytes of key');
  return { mainKey: new Uint8Array(key.subarray(0, 32)), headerKey: new Uint8Array(key.subarray(32, 64)) };
}

function backendsOf(b: ChachaBackend | ChachaPolyBackends): ChachaPolyBackends {
  return typeof b === 'string' ? { chacha: b, header: b, poly: FAST.poly } : b;
}

export function chachaSealer(key: Uint8Array, backend: ChachaBackend | ChachaPolyBackends = FAST): PacketSealer {
  const { mainKey, headerKey } = splitKey(key);
  const { chacha, header, poly } = backendsOf(backend);
  return {
    freshOutput: true,
    seal(seq, packet) {
      const nonce = nonceOf(seq);
      const len = chacha20Xor(headerKey, nonce, 0, packet.subarray(0, 4), header);
      const { polyKey, output } = chacha20PolyKeyXor(mainKey, nonce, packet.subarray(4), chacha);
      const tag = poly1305MacParts(polyKey, [len, output], poly);
      polyKey.fill(0);
      return [len, output, tag];
    },
  };
}

export function chachaOpener(key: Uint8Array, backend: ChachaBackend | ChachaPolyBackends = FAST): PacketOpener {
  const { mainKey, headerKey } = splitKey(key);
  const { chacha, header, poly } = backendsOf(backend);
  return {
    freshOutput: true,
    headerLength: 4,
    trailerLength: TAG,
    packetLength(seq, wireHeader) {
      const len = chacha20Xor(headerKey, nonceOf(seq), 0, wireHeader.subarray(0, 4), header);
      return ((len[0] << 24) | (len[1] << 16) | (len[2] << 8) | len[3]) >>> 0;
    },
    open(seq, wire) {
      const nonce = nonceOf(seq);
      const body = wire.subarray(0, wire.length - TAG);
      // One cipher yields the Poly1305 key (block 0) and the clear payload (blocks 1..); the payload is released
      // only after the tag over the ciphertext checks out.
      const { polyKey, output } = chacha20PolyKeyXor(mainKey, nonce, body.subarray(4), chacha);
      const tag = poly1305MacParts(polyKey, [body], poly);
      polyKey.fill(0);
      if (!constantTimeEqual(tag, wire.subarray(wire.length - TAG))) {
        output.fill(0);
        throw new MacError(seq);
      }
      return output;
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
