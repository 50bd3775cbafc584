import type { CipherSpec, PacketOpener, PacketSealer } from './packet-cipher.js';

/** RFC 4253 §6.3 "none": only before the first NEWKEYS. */
export const noneCipher: CipherSpec = Object.freeze({
  name: 'none',
  keyLength: 0,
  ivLength: 0,
  blockSize: 8,
  lengthExcludedFromAlignment: false,
  aead: true,
  createSealer: (): PacketSealer => ({ freshOutput: false, seal: (_seq, packet) => [packet] }),
  createOpener: (): PacketOpener => ({
    freshOutput: false,
    headerLength: 4,
    trailerLength: 0,
    packetLength: (_seq, h) => ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0,
    open: (_seq, wire) => wire.subarray(4),
  }),
});
