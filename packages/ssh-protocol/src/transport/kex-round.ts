import { KEX_METHODS, type ClientKex, type KexMethod, type KexOutput, type ServerKex } from '../kex/index.js';
import { parsePublicKeyBlob, signatureAlgorithmOf, type PublicKey } from '../keys/index.js';
import { KexError } from '../wire/index.js';
import { CIPHERS, type CipherSpec, type PacketMac } from './ciphers/index.js';
import { MACS } from './macs/index.js';
import { deriveKey } from './key-derivation.js';
import type { KexInit, Negotiated } from './kexinit.js';

/** One key exchange, from our KEXINIT to both NEWKEYS (RFC 4253 §7). */
export class KexRound {
  peerKexInit?: Uint8Array;
  peer?: KexInit;
  negotiated?: Negotiated;
  method?: KexMethod;
  client?: ClientKex;
  server?: ServerKex;
  output?: KexOutput;
  /** RFC 4253 §7: the peer guessed wrong and its next KEX packet must be ignored. */
  ignoreNextKexPacket = false;
  newKeysSent = false;
  newKeysReceived = false;

  constructor(
    readonly ours: KexInit,
    readonly ourPayload: Uint8Array,
    readonly first: boolean,
  ) {}

  get done(): boolean {
    return this.newKeysSent && this.newKeysReceived;
  }

  methodFor(name: string): KexMethod {
    const m = KEX_METHODS.get(name);
    if (!m) throw new KexError(`unsupported key exchange method ${name}`);
    return m;
  }
}

export interface DirectionKeys {
  cipher: CipherSpec;
  key: Uint8Array;
  iv: Uint8Array;
  mac?: PacketMac;
}

/** RFC 4253 §7.2 letters: A/B IVs, C/D encryption keys, E/F MAC keys (only for ciphers that are not AEAD). */
export function directionKeys(
  output: KexOutput,
  method: KexMethod,
  sessionId: Uint8Array,
  cipherName: string,
  macName: string,
  clientToServer: boolean,
): DirectionKeys {
  const cipher = CIPHERS.get(cipherName);
  if (!cipher) throw new KexError(`unsupported cipher ${cipherName}`);
  const { sharedSecret: k, exchangeHash: h } = output;
  const keys: DirectionKeys = {
    cipher,
    iv: deriveKey(method.hash, k, h, clientToServer ? 'A' : 'B', sessionId, cipher.ivLength),
    key: deriveKey(method.hash, k, h, clientToServer ? 'C' : 'D', sessionId, cipher.keyLength),
  };
  if (!cipher.aead) {
    const spec = MACS.get(macName);
    if (!spec) throw new KexError(`unsupported MAC ${macName}`);
    keys.mac = { spec, key: deriveKey(method.hash, k, h, clientToServer ? 'E' : 'F', sessionId, spec.keyLength) };
  }
  return keys;
}

/** RFC 4253 §8: the server's host key must be of the negotiated type and must have signed H. */
export function verifyHostSignature(alg: string, blob: Uint8Array, signature: Uint8Array, h: Uint8Array): PublicKey {
  let key: PublicKey;
  try {
    key = parsePublicKeyBlob(blob);
  } catch (e) {
    throw new KexError(`unusable host key: ${(e as Error).message}`);
  }
  if (!key.signatureAlgorithms.includes(alg)) throw new KexError(`host key type ${key.type} does not match ${alg}`);
  if (signatureAlgorithmOf(signature) !== alg) throw new KexError(`host key signature is not ${alg}`);
  if (!key.verify(h, signature)) throw new KexError('incorrect signature on the exchange hash');
  return key;
}
