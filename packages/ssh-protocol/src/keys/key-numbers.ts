// Unsigned big integers as keys carry them: RFC 4251 §5 mpints on the wire, big-endian bytes for the crypto
// adapters, bigints for the few checks done on them.
import { DecodeError, type SshReader } from '../wire/index.js';

/**
 * An mpint that must not be negative (RFC 4251 §5), as its minimal unsigned big-endian bytes (empty for 0).
 * The reader already refuses non-minimal encodings.
 */
export function readUnsignedMpint(r: SshReader, what: string): Uint8Array {
  const v = r.mpint();
  if (v < 0n) throw new DecodeError(`${what} is negative`);
  return bigintToBytes(v);
}

export function bytesToBigint(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`);
}

/** Big-endian bytes of a non-negative `v`: minimal, or left-padded with zeros to `length` (RangeError if longer). */
export function bigintToBytes(v: bigint, length?: number): Uint8Array {
  if (v < 0n) throw new RangeError('negative integer');
  let hex = v === 0n ? '' : v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const minimal = Buffer.from(hex, 'hex');
  if (length === undefined) return new Uint8Array(minimal);
  if (minimal.length > length) throw new RangeError(`integer longer than ${length} bytes`);
  const out = new Uint8Array(length);
  out.set(minimal, length - minimal.length);
  return out;
}

/** `b` left-padded with zeros to `length`; undefined when it is already longer. */
export function leftPad(b: Uint8Array, length: number): Uint8Array | undefined {
  if (b.length > length) return undefined;
  const out = new Uint8Array(length);
  out.set(b, length - b.length);
  return out;
}

/** Bits in the number (0 for 0), as OpenSSL's BN_num_bits counts them. */
export function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]));
}
