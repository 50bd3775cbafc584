import { aesCtrStream, constantTimeEqual, hmac } from '../../crypto/index.js';
import { MacError, ProtocolError } from '../../wire/index.js';
import type { MacSpec } from '../macs/index.js';
import type { CipherSpec, PacketMac, PacketOpener, PacketSealer } from './packet-cipher.js';

// RFC 4344 §4 aes*-ctr, with a separate MAC: RFC 4253 §6.4 encrypt-and-MAC (MAC over seq || clear packet), or
// OpenSSH's encrypt-then-MAC (PROTOCOL §1.5: length in clear, MAC over seq || length || ciphertext).

const BLOCK = 16;

function seqBytes(seq: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, seq >>> 0, false);
  return b;
}

function macOf(spec: MacSpec, key: Uint8Array, seq: number, ...parts: Uint8Array[]): Uint8Array {
  return hmac(spec.hash, key, seqBytes(seq), ...parts);
}

function readLength(b: Uint8Array): number {
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

function needMac(mac: PacketMac | undefined, name: string): PacketMac {
  if (!mac) throw new Error(`${name} needs a MAC`);
  return mac;
}

function sealer(key: Uint8Array, iv: Uint8Array, m: PacketMac | undefined, name: string): PacketSealer {
  const { spec, key: macKey } = needMac(m, name);
  const stream = aesCtrStream(key, iv);
  return {
    freshOutput: true,
    seal(seq, packet) {
      if (spec.etm) {
        const length = packet.slice(0, 4);
        const ciphertext = stream.update(packet.subarray(4));
        return [length, ciphertext, macOf(spec, macKey, seq, length, ciphertext)];
      }
      const mac = macOf(spec, macKey, seq, packet);
      return [stream.update(packet), mac];
    },
  };
}

function opener(key: Uint8Array, iv: Uint8Array, m: PacketMac | undefined, name: string): PacketOpener {
  const { spec, key: macKey } = needMac(m, name);
  const stream = aesCtrStream(key, iv);
  let firstBlock: Uint8Array | undefined;
  return {
    freshOutput: true,
    headerLength: spec.etm ? 4 : BLOCK,
    trailerLength: spec.length,
    packetLength(_seq, header) {
      if (spec.etm) {
        const len = readLength(header);
        if (len % BLOCK !== 0) throw new ProtocolError(`packet length ${len} is not a multiple of ${BLOCK}`);
        return len;
      }
      // RFC 4253 §6: the first block, decrypted, tells the length; the rest follows in the same key stream.
      firstBlock = stream.update(header.subarray(0, BLOCK));
      const len = readLength(firstBlock);
      if ((len + 4) % BLOCK !== 0) throw new ProtocolError(`Bad packet length ${len}`);
      return len;
    },
    open(seq, wire) {
      const body = wire.subarray(0, wire.length - spec.length);
      const tag = wire.subarray(wire.length - spec.length);
      if (spec.etm) {
        if (!constantTimeEqual(macOf(spec, macKey, seq, body), tag)) throw new MacError(seq);
        return stream.update(body.subarray(4));
      }
      const clear = new Uint8Array(body.length);
      clear.set(firstBlock!, 0);
      clear.set(stream.update(body.subarray(BLOCK)), BLOCK);
      firstBlock = undefined;
      if (!constantTimeEqual(macOf(spec, macKey, seq, clear), tag)) throw new MacError(seq);
      return clear.subarray(4);
    },
  };
}

function ctr(name: string, keyLength: number): CipherSpec {
  return Object.freeze({
    name,
    keyLength,
    ivLength: BLOCK,
    blockSize: BLOCK,
    lengthExcludedFromAlignment: false,
    aead: false,
    createSealer: (key: Uint8Array, iv: Uint8Array, mac?: PacketMac) => sealer(key, iv, mac, name),
    createOpener: (key: Uint8Array, iv: Uint8Array, mac?: PacketMac) => opener(key, iv, mac, name),
  });
}

export const aes128Ctr = ctr('aes128-ctr', 16);
export const aes192Ctr = ctr('aes192-ctr', 24);
export const aes256Ctr = ctr('aes256-ctr', 32);
