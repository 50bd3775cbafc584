import {
  MLKEM768_CIPHERTEXT_LENGTH,
  MLKEM768_ENCAPS_SEED_LENGTH,
  MLKEM768_KEYGEN_SEED_LENGTH,
  MLKEM768_PUBLIC_KEY_LENGTH,
  hash,
  mlkem768Decapsulate,
  mlkem768Encapsulate,
  mlkem768KeyPair,
  x25519PublicKey,
  x25519SharedSecret,
} from '../crypto/index.js';
import { KexError, SshWriter, concatBytes, wipe } from '../wire/index.js';
import { exchangeHash, expectMessage } from './exchange-hash.js';
import { KEX_HYBRID_MSG } from './kex-messages.js';
import type { ClientKex, KexInputs, KexMethod, ServerHostKey, ServerKex } from './types.js';

// draft-ietf-sshm-mlkem-hybrid-kex (mlkem768x25519-sha256, as OpenSSH 9.9+ speaks it):
//   C_INIT  = ML-KEM-768 encapsulation key (1184) || X25519 public key (32)
//   S_REPLY = ML-KEM-768 ciphertext (1088) || X25519 public key (32)
//   K       = SHA-256(K_PQ || K_CL), encoded as a string (not an mpint) in H and in key derivation.

const X25519_LENGTH = 32;
const C_INIT_LENGTH = MLKEM768_PUBLIC_KEY_LENGTH + X25519_LENGTH;
const S_REPLY_LENGTH = MLKEM768_CIPHERTEXT_LENGTH + X25519_LENGTH;
const NAME = 'mlkem768x25519-sha256';

function x25519Secret(secret: Uint8Array, peer: Uint8Array): Uint8Array {
  let k: Uint8Array;
  try {
    k = x25519SharedSecret(secret, peer);
  } catch (e) {
    throw new KexError(`${NAME}: invalid X25519 public key: ${(e as Error).message}`);
  }
  // RFC 8731 §3 / RFC 7748 §6.1: an all-zero X25519 output (low-order point) aborts the exchange.
  if (k.every((b) => b === 0)) throw new KexError(`${NAME}: X25519 shared secret is all zero`);
  return k;
}

/** K = HASH(K_PQ || K_CL) as an SSH string (draft §2.2); the inputs are wiped. */
function combine(kPq: Uint8Array, kCl: Uint8Array): Uint8Array {
  const both = concatBytes(kPq, kCl);
  const digest = hash('sha256', both);
  const k = new SshWriter(4 + digest.length).string(digest).toBytes();
  wipe(both);
  wipe(kPq);
  wipe(kCl);
  wipe(digest);
  return k;
}

function client(inputs: KexInputs): ClientKex {
  const seed = inputs.env.random(MLKEM768_KEYGEN_SEED_LENGTH);
  const kem = mlkem768KeyPair(seed);
  wipe(seed);
  const ecSecret = inputs.env.random(X25519_LENGTH);
  const cInit = concatBytes(kem.publicKey, x25519PublicKey(ecSecret));
  return {
    start: () => [new SshWriter(C_INIT_LENGTH + 5).byte(KEX_HYBRID_MSG.INIT).string(cInit).toBytes()],
    handle(payload) {
      const r = expectMessage(payload, KEX_HYBRID_MSG.REPLY, 'SSH_MSG_KEX_HYBRID_REPLY');
      const hostKeyBlob = r.bytes().slice();
      const sReply = r.bytes().slice();
      const signature = r.bytes().slice();
      r.end();
      // FIPS 203 §7.3 input check: the ciphertext length is fixed; so is the X25519 key.
      if (sReply.length !== S_REPLY_LENGTH) {
        throw new KexError(`${NAME}: S_REPLY is ${sReply.length} bytes, expected ${S_REPLY_LENGTH}`);
      }
      const kPq = mlkem768Decapsulate(sReply.subarray(0, MLKEM768_CIPHERTEXT_LENGTH), kem.secretKey);
      const kCl = x25519Secret(ecSecret, sReply.subarray(MLKEM768_CIPHERTEXT_LENGTH));
      wipe(kem.secretKey);
      wipe(ecSecret);
      const sharedSecret = combine(kPq, kCl);
      const h = exchangeHash('sha256', inputs, hostKeyBlob, (w) => w.string(cInit).string(sReply), sharedSecret);
      return { send: [], result: { sharedSecret, exchangeHash: h, hostKeyBlob, signature } };
    },
  };
}

function server(inputs: KexInputs, hostKey: ServerHostKey): ServerKex {
  return {
    handle(payload) {
      const r = expectMessage(payload, KEX_HYBRID_MSG.INIT, 'SSH_MSG_KEX_HYBRID_INIT');
      const cInit = r.bytes().slice();
      r.end();
      if (cInit.length !== C_INIT_LENGTH) {
        throw new KexError(`${NAME}: C_INIT is ${cInit.length} bytes, expected ${C_INIT_LENGTH}`);
      }
      const seed = inputs.env.random(MLKEM768_ENCAPS_SEED_LENGTH);
      let enc: { cipherText: Uint8Array; sharedSecret: Uint8Array };
      try {
        // FIPS 203 §7.2: the encapsulation key check (modulus) refuses a malformed client key.
        enc = mlkem768Encapsulate(cInit.subarray(0, MLKEM768_PUBLIC_KEY_LENGTH), seed);
      } catch (e) {
        throw new KexError(`${NAME}: invalid ML-KEM public key: ${(e as Error).message}`);
      } finally {
        wipe(seed);
      }
      const ecSecret = inputs.env.random(X25519_LENGTH);
      const sReply = concatBytes(enc.cipherText, x25519PublicKey(ecSecret));
      const kCl = x25519Secret(ecSecret, cInit.subarray(MLKEM768_PUBLIC_KEY_LENGTH));
      wipe(ecSecret);
      const sharedSecret = combine(enc.sharedSecret, kCl);
      const h = exchangeHash('sha256', inputs, hostKey.blob, (w) => w.string(cInit).string(sReply), sharedSecret);
      const reply = new SshWriter(S_REPLY_LENGTH + 512)
        .byte(KEX_HYBRID_MSG.REPLY)
        .string(hostKey.blob)
        .string(sReply)
        .string(hostKey.sign(h))
        .toBytes();
      return { send: [reply], result: { sharedSecret, exchangeHash: h } };
    },
  };
}

export const mlkem768x25519Sha256: KexMethod = Object.freeze({ name: NAME, hash: 'sha256', client, server });
