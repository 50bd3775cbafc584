import { hash, type HashName } from '../crypto/index.js';
import { ProtocolError, SshReader, SshWriter } from '../wire/index.js';
import type { KexInputs } from './types.js';

/**
 * The exchange hash H of RFC 4253 §8 and its successors: the fields every method shares (V_C, V_S, I_C, I_S, K_S),
 * then the method's own, written by `fields`, then K exactly as encoded (mpint or string).
 */
export function exchangeHash(
  hashName: HashName,
  inputs: KexInputs,
  hostKeyBlob: Uint8Array,
  fields: (w: SshWriter) => void,
  sharedSecret: Uint8Array,
): Uint8Array {
  const w = new SshWriter(2048)
    .string(inputs.clientVersion)
    .string(inputs.serverVersion)
    .string(inputs.clientKexInit)
    .string(inputs.serverKexInit)
    .string(hostKeyBlob);
  fields(w);
  w.raw(sharedSecret);
  return hash(hashName, w.toBytes());
}

/** A reader positioned after the message number, which must be `msg`: anything else is out of phase. */
export function expectMessage(payload: Uint8Array, msg: number, what: string): SshReader {
  const r = new SshReader(payload, what);
  const n = r.byte();
  if (n !== msg) throw new ProtocolError(`${what}: unexpected message ${n} during key exchange`);
  return r;
}

