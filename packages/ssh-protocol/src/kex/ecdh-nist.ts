import {
  nistFieldLength,
  nistPublicKey,
  nistSecretKey,
  nistSeedLength,
  nistSharedSecret,
  type HashName,
  type NistCurveName,
} from '../crypto/index.js';
import { KexError, SshWriter, wipe } from '../wire/index.js';
import { exchangeHash, expectMessage } from './exchange-hash.js';
import { KEX_ECDH_MSG } from './kex-messages.js';
import type { ClientKex, KexInputs, KexMethod, ServerHostKey, ServerKex } from './types.js';

// RFC 5656 §4: ECDH key exchange. The client sends Q_C, the server answers K_S, Q_S and its signature over
// H = HASH(V_C || V_S || I_C || I_S || K_S || Q_C || Q_S || K); K is the X coordinate of the shared point as mpint.

function sharedSecretMpint(curve: NistCurveName, secret: Uint8Array, peer: Uint8Array): Uint8Array {
  let x: Uint8Array;
  try {
    // RFC 5656 §4: each side MUST validate the other's public key (§3.2.2: on the curve, not infinity).
    x = nistSharedSecret(curve, secret, peer);
  } catch (e) {
    throw new KexError(`ecdh-sha2-${curve}: invalid peer public key: ${(e as Error).message}`);
  }
  const k = new SshWriter(x.length + 5).mpintFromUnsigned(x).toBytes();
  wipe(x);
  return k;
}

function method(curve: NistCurveName, hashName: HashName): KexMethod {
  const name = `ecdh-sha2-${curve}`;
  const keyPair = (inputs: KexInputs): { secret: Uint8Array; pub: Uint8Array } => {
    const seed = inputs.env.random(nistSeedLength(curve));
    const secret = nistSecretKey(curve, seed);
    wipe(seed);
    return { secret, pub: nistPublicKey(curve, secret) };
  };
  const pointLength = 1 + 2 * nistFieldLength(curve);

  const client = (inputs: KexInputs): ClientKex => {
    const { secret, pub: qc } = keyPair(inputs);
    return {
      start: () => [new SshWriter(pointLength + 5).byte(KEX_ECDH_MSG.INIT).string(qc).toBytes()],
      handle(payload) {
        const r = expectMessage(payload, KEX_ECDH_MSG.REPLY, 'SSH_MSG_KEX_ECDH_REPLY');
        const hostKeyBlob = r.bytes().slice();
        const qs = r.bytes().slice();
        const signature = r.bytes().slice();
        r.end();
        const sharedSecret = sharedSecretMpint(curve, secret, qs);
        wipe(secret);
        const h = exchangeHash(hashName, inputs, hostKeyBlob, (w) => w.string(qc).string(qs), sharedSecret);
        return { send: [], result: { sharedSecret, exchangeHash: h, hostKeyBlob, signature } };
      },
    };
  };

  const server = (inputs: KexInputs, hostKey: ServerHostKey): ServerKex => ({
    handle(payload) {
      const r = expectMessage(payload, KEX_ECDH_MSG.INIT, 'SSH_MSG_KEX_ECDH_INIT');
      const qc = r.bytes().slice();
      r.end();
      const { secret, pub: qs } = keyPair(inputs);
      const sharedSecret = sharedSecretMpint(curve, secret, qc);
      wipe(secret);
      const h = exchangeHash(hashName, inputs, hostKey.blob, (w) => w.string(qc).string(qs), sharedSecret);
      const reply = new SshWriter(512)
        .byte(KEX_ECDH_MSG.REPLY)
        .string(hostKey.blob)
        .string(qs)
        .string(hostKey.sign(h))
        .toBytes();
      return { send: [reply], result: { sharedSecret, exchangeHash: h } };
    },
  });

  return Object.freeze({ name, hash: hashName, client, server });
}

/** RFC 5656 §6.2.1: the hash follows the curve size. */
export const ecdhSha2Nistp256: KexMethod = method('nistp256', 'sha256');
export const ecdhSha2Nistp384: KexMethod = method('nistp384', 'sha384');
export const ecdhSha2Nistp521: KexMethod = method('nistp521', 'sha512');
