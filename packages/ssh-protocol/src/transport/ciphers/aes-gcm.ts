import { aesGcmOpen, aesGcmSealDetached } from '../../crypto/index.js';
import { MacError } from '../../wire/index.js';
import type { CipherSpec, PacketOpener, PacketSealer } from './packet-cipher.js';

// RFC 5647 as OpenSSH uses it (aes*-gcm@openssh.com): the 4-byte packet_length is sent in clear as AAD; the 12-byte
// nonce is a 4-byte fixed field followed by an 8-byte invocation counter incremented after every packet (§7.1).

const TAG = 16;

class InvocationCounter {
  private readonly nonce: Uint8Array;
  constructor(iv: Uint8Array) {
    if (iv.length !== 12) throw new RangeError('AES-GCM needs a 12-byte IV');
    this.nonce = new Uint8Array(iv); // a copy even when given a Buffer (whose slice() is a view)
  }

  /** The nonce for this packet; the counter then moves on. */
  next(): Uint8Array {
    const current = this.nonce.slice();
    for (let i = 11; i >= 4; i--) {
      this.nonce[i] = (this.nonce[i] + 1) & 0xff;
      if (this.nonce[i] !== 0) break;
    }
    return current;
  }
}

function sealer(key: Uint8Array, iv: Uint8Array): PacketSealer {
  const counter = new InvocationCounter(iv);
  const k = new Uint8Array(key);
  return {
    freshOutput: true,
    seal(_seq, packet) {
      const length = packet.slice(0, 4);
      const { ciphertext, tag } = aesGcmSealDetached(k, counter.next(), length, packet.subarray(4));
      return [length, ciphertext, tag];
    },
  };
}

function opener(key: Uint8Array, iv: Uint8Array): PacketOpener {
  const counter = new InvocationCounter(iv);
  const k = new Uint8Array(key);
  return {
    freshOutput: true,
    headerLength: 4,
    trailerLength: TAG,
    packetLength: (_seq, h) => ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0,
    open(seq, wire) {
      const plain = aesGcmOpen(k, counter.next(), wire.subarray(0, 4), wire.subarray(4));
      if (!plain) throw new MacError(seq);
      return plain;
    },
  };
}

function gcm(name: string, keyLength: number): CipherSpec {
  return Object.freeze({
    name,
    keyLength,
    ivLength: 12,
    blockSize: 16,
    lengthExcludedFromAlignment: true,
    aead: true,
    createSealer: sealer,
    createOpener: opener,
  });
}

export const aes128Gcm = gcm('aes128-gcm@openssh.com', 16);
export const aes256Gcm = gcm('aes256-gcm@openssh.com', 32);
