import { hash, x25519PublicKey, x25519SharedSecret } from '../crypto/index.js';
import { KexError, MSG, ProtocolError, SshReader, SshWriter, wipe } from '../wire/index.js';
import type { ClientKex, KexInputs, KexMethod, ServerHostKey, ServerKex } from './types.js';

// RFC 8731: Curve25519 key exchange. Messages are RFC 5656 §4's ECDH_INIT (Q_C) and ECDH_REPLY (K_S, Q_S, sig);
// K is the X25519 output read as an unsigned big-endian integer and encoded as mpint (§3.1).

function sharedSecretMpint(secret: Uint8Array, peer: Uint8Array): Uint8Array {
  if (peer.length !== 32) throw new KexError('curve25519: peer public key is not 32 bytes');
  let k: Uint8Array;
  try {
    k = x25519SharedSecret(secret, peer);
  } catch {
    // noble refuses low-order points itself; either way RFC 7748 §6.1's all-zero check fails the exchange.
    throw new KexError('curve25519: shared secret is all zero');
  }
  if (k.every((b) => b === 0)) throw new KexError('curve25519: shared secret is all zero');
  const out = new SshWriter(37).mpintFromUnsigned(k).toBytes();
  wipe(k);
  return out;
}

function exchangeHash(
  inputs: KexInputs,
  hostKeyBlob: Uint8Array,
  qc: Uint8Array,
  qs: Uint8Array,
  k: Uint8Array,
): Uint8Array {
  const w = new SshWriter(1024)
    .string(inputs.clientVersion)
    .string(inputs.serverVersion)
    .string(inputs.clientKexInit)
    .string(inputs.serverKexInit)
    .string(hostKeyBlob)
    .string(qc)
    .string(qs)
    .raw(k);
  return hash('sha256', w.toBytes());
}

function expect(payload: Uint8Array, msg: number, what: string): SshReader {
  const r = new SshReader(payload, what);
  const n = r.byte();
  if (n !== msg) throw new ProtocolError(`${what}: unexpected message ${n} during key exchange`);
  return r;
}

function client(inputs: KexInputs): ClientKex {
  const secret = inputs.env.random(32);
  const qc = x25519PublicKey(secret);
  return {
    start: () => [new SshWriter(40).byte(MSG.KEX_ECDH_INIT).string(qc).toBytes()],
    handle(payload) {
      const r = expect(payload, MSG.KEX_ECDH_REPLY, 'KEX_ECDH_REPLY');
      const hostKeyBlob = r.bytes().slice();
      const qs = r.bytes();
      const signature = r.bytes().slice();
      r.end();
      const sharedSecret = sharedSecretMpint(secret, qs);
      wipe(secret);
      const exchangeHashValue = exchangeHash(inputs, hostKeyBlob, qc, qs, sharedSecret);
      return { send: [], result: { sharedSecret, exchangeHash: exchangeHashValue, hostKeyBlob, signature } };
    },
  };
}

function server(inputs: KexInputs, hostKey: ServerHostKey): ServerKex {
  return {
    handle(payload) {
      const r = expect(payload, MSG.KEX_ECDH_INIT, 'KEX_ECDH_INIT');
      const qc = r.bytes();
      r.end();
      const secret = inputs.env.random(32);
      const qs = x25519PublicKey(secret);
      const sharedSecret = sharedSecretMpint(secret, qc);
      wipe(secret);
      const h = exchangeHash(inputs, hostKey.blob, qc, qs, sharedSecret);
      const reply = new SshWriter(256)
        .byte(MSG.KEX_ECDH_REPLY)
        .string(hostKey.blob)
        .string(qs)
        .string(hostKey.sign(h))
        .toBytes();
      return { send: [reply], result: { sharedSecret, exchangeHash: h } };
    },
  };
}

export const curve25519Sha256: KexMethod = Object.freeze({ name: 'curve25519-sha256', hash: 'sha256', client, server });
export const curve25519Sha256Libssh: KexMethod = Object.freeze({
  name: 'curve25519-sha256@libssh.org',
  hash: 'sha256',
  client,
  server,
});
