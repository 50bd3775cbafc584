import type { MacSpec } from '../macs/index.js';

// The shape every packet protection scheme has (RFC 4253 §6, OpenSSH PROTOCOL.chacha20poly1305, RFC 5647).
// A packet here is `uint32 packet_length || byte padding_length || payload || padding` in clear; the wire form adds
// whatever the scheme adds (encrypted length, tag, MAC).

export interface PacketSealer {
  /**
   * Protect one clear packet (length field included) sent with sequence number `seq`; returns the wire bytes as
   * pieces to send in order (so that a tag or MAC need not be copied next to the ciphertext).
   */
  seal(seq: number, packet: Uint8Array): readonly Uint8Array[];
  /**
   * True when no returned piece is a view of `packet`: the writer may then build the next packet in the same
   * buffer. (Encrypting schemes produce fresh output; `none` sends the packet itself.)
   */
  readonly freshOutput: boolean;
}

export interface PacketOpener {
  /** True when open() returns fresh memory, never a view of `wire`: the reader may then reuse the wire buffer. */
  readonly freshOutput: boolean;
  /** Bytes of the wire packet needed to learn its length (4 for AEAD/ETM; a cipher block otherwise). */
  readonly headerLength: number;
  /** Bytes the wire form adds after `4 + packet_length` (tag or MAC). */
  readonly trailerLength: number;
  /** The clear packet_length from the first `headerLength` wire bytes. Must not authenticate anything yet. */
  packetLength(seq: number, header: Uint8Array): number;
  /**
   * Authenticate and decrypt a whole wire packet (`4 + packet_length + trailerLength` bytes); returns the clear
   * `padding_length || payload || padding`. Throws MacError when authentication fails.
   */
  open(seq: number, wire: Uint8Array): Uint8Array;
}

/** A negotiated MAC and its key, for ciphers that are not AEAD. */
export interface PacketMac {
  readonly spec: MacSpec;
  readonly key: Uint8Array;
}

export interface CipherSpec {
  readonly name: string;
  readonly keyLength: number;
  readonly ivLength: number;
  /** Padding alignment (RFC 4253 §6: at least 8). */
  readonly blockSize: number;
  /** Whether packet_length is left out of the alignment (AEAD: it is not part of the encrypted body; for other
   * ciphers this depends on the MAC: ETM leaves the length out). */
  readonly lengthExcludedFromAlignment: boolean;
  /** Whether a separate MAC algorithm is negotiated (false for AEAD ciphers, whose MAC name is ignored). */
  readonly aead: boolean;
  createSealer(key: Uint8Array, iv: Uint8Array, mac?: PacketMac): PacketSealer;
  createOpener(key: Uint8Array, iv: Uint8Array, mac?: PacketMac): PacketOpener;
}

/** Packet length bounds: RFC 4253 §6.1 says at least 35000; OpenSSH accepts up to 256 KiB. */
export const MAX_PACKET_LENGTH = 256 * 1024;
