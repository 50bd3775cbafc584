import {
  SNTRUP761_CIPHERTEXT_BYTES,
  SNTRUP761_PUBLIC_KEY_BYTES,
  hash,
  sntrup761Decapsulate,
  sntrup761Encapsulate,
  sntrup761KeyPair,
  x25519PublicKey,
  x25519SharedSecret,
} from '../crypto/index.js';
import { KexError, SshWriter, concatBytes, wipe } from '../wire/index.js';
import { exchangeHash, expectMessage } from './exchange-hash.js';
import { KEX_ECDH_MSG } from './kex-messages.js';
import type { ClientKex, KexInputs, KexMethod, ServerHostKey, ServerKex } from './types.js';

// RFC 9941 (draft-josefsson-ntruprime-ssh), sntrup761x25519-sha512 as OpenSSH 8.5+ speaks it, with the
// messages of RFC 5656 §4 (SSH_MSG_KEX_ECDH_INIT / _REPLY):
//   C_INIT  = sntrup761 public key (1158) || X25519 public key (32)
//   S_REPLY = sntrup761 ciphertext (1039) || X25519 public key (32)
//   K       = SHA-512(sntrup761 shared secret || X25519 shared secret), encoded as a string, not an mpint.

const X25519_LENGTH = 32;
const C_INIT_LENGTH = SNTRUP761_PUBLIC_KEY_BYTES + X25519_LENGTH;
const S_REPLY_LENGTH = SNTRUP761_CIPHERTEXT_BYTES + X25519_LENGTH;

/** RFC 8731 §3: an all-zero X25519 output (a low-order peer point) aborts the exchange. */
function x25519Secret(name: string, secret: Uint8Array, peer: Uint8Array): Uint8Array {
  let k: Uint8Array;
  try {
    k = x25519SharedSecret(secret, peer);
  } catch (e) {
    // @noble/curves refuses the all-zero result itself.
    throw new KexError(`${name}: invalid X25519 public key: ${(e as Error).message}`);
  }
  if (k.every((b) => b === 0)) throw new KexError(`${name}: X25519 shared secret is all zero`);
  return k;
}

/** K = SHA-512(K_PQ || K_CL) as an SSH string; the inputs are wiped. */
function combine(kPq: Uint8Array, kCl: Uint8Array): Uint8Array {
  const both = concatBytes(kPq, kCl);
  const digest = hash('sha512', both);
  const k = new SshWriter(4 + digest.length).string(digest).toBytes();
  for (const b of [both, kPq, kCl, digest]) wipe(b);
  return k;
}

function client(name: string, inputs: KexInputs): ClientKex {
  const kem = sntrup761KeyPair((n) => inputs.env.random(n));
  const ecSecret = inputs.env.random(X25519_LENGTH);
  const cInit = concatBytes(kem.publicKey, x25519PublicKey(ecSecret));
  return {
    start: () => [new SshWriter(C_INIT_LENGTH + 5).byte(KEX_ECDH_MSG.INIT).string(cInit).toBytes()],
    handle(payload) {
      const r = expectMessage(payload, KEX_ECDH_MSG.REPLY, 'SSH_MSG_KEX_ECDH_REPLY');
      const hostKeyBlob = r.bytes().slice();
      const sReply = r.bytes().slice();
      const signature = r.bytes().slice();
      r.end();
      if (sReply.length !== S_REPLY_LENGTH) {
        throw new KexError(`${name}: server reply is ${sReply.length} bytes, expected ${S_REPLY_LENGTH}`);
      }
      const kPq = sntrup761Decapsulate(sReply.subarray(0, SNTRUP761_CIPHERTEXT_BYTES), kem.secretKey);
      const kCl = x25519Secret(name, ecSecret, sReply.subarray(SNTRUP761_CIPHERTEXT_BYTES));
      wipe(kem.secretKey);
      wipe(ecSecret);
      const sharedSecret = combine(kPq, kCl);
      const h = exchangeHash('sha512', inputs, hostKeyBlob, (w) => w.string(cInit).string(sReply), sharedSecret);
      return { send: [], result: { sharedSecret, exchangeHash: h, hostKeyBlob, signature } };
    },
  };
}

function server(name: string, inputs: KexInputs, hostKey: ServerHostKey): ServerKex {
  return {
    handle(payload) {
      const r = expectMessage(payload, KEX_ECDH_MSG.INIT, 'SSH_MSG_KEX_ECDH_INIT');
      const cInit = r.bytes().slice();
      r.end();
      if (cInit.length !== C_INIT_LENGTH) {
        throw new KexError(`${name}: client key is ${cInit.length} bytes, expected ${C_INIT_LENGTH}`);
      }
      const enc = sntrup761Encapsulate(cInit.subarray(0, SNTRUP761_PUBLIC_KEY_BYTES), (n) => inputs.env.random(n));
      const ecSecret = inputs.env.random(X25519_LENGTH);
      const sReply = concatBytes(enc.ciphertext, x25519PublicKey(ecSecret));
      const kCl = x25519Secret(name, ecSecret, cInit.subarray(SNTRUP761_PUBLIC_KEY_BYTES));
      wipe(ecSecret);
      const sharedSecret = combine(enc.sharedSecret, kCl);
      const h = exchangeHash('sha512', inputs, hostKey.blob, (w) => w.string(cInit).string(sReply), sharedSecret);
      const reply = new SshWriter(S_REPLY_LENGTH + 512)
        .byte(KEX_ECDH_MSG.REPLY)
        .string(hostKey.blob)
        .string(sReply)
        .string(hostKey.sign(h))
        .toBytes();
      return { send: [reply], result: { sharedSecret, exchangeHash: h } };
    },
  };
}

function method(name: string): KexMethod {
  return Object.freeze({
    name,
    hash: 'sha512' as const,
    client: (inputs: KexInputs) => client(name, inputs),
    server: (inputs: KexInputs, hostKey: ServerHostKey) => server(name, inputs, hostKey),
  });
}

export const sntrup761x25519Sha512: KexMethod = method('sntrup761x25519-sha512');
/** The name OpenSSH used before the method was standardised; same exchange. */
export const sntrup761x25519Sha512OpenSsh: KexMethod = method('sntrup761x25519-sha512@openssh.com');
