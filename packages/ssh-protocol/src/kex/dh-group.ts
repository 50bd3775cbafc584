import type { HashName } from '../crypto/index.js';
import { SshWriter } from '../wire/index.js';
import { MODP_2048, MODP_4096, MODP_8192, OAKLEY_GROUP_2, type DhGroup } from './dh-groups.js';
import { exchangeHash, expectMessage } from './exchange-hash.js';
import { checkPublicValue, dhKeyPair, sharedSecretMpint } from './finite-field-dh.js';
import { KEXDH_MSG } from './kex-messages.js';
import type { ClientKex, KexInputs, KexMethod, ServerHostKey, ServerKex } from './types.js';

// RFC 4253 §8: Diffie-Hellman over a fixed group. The client sends e = g^x, the server K_S, f = g^y and its
// signature over H = HASH(V_C || V_S || I_C || I_S || K_S || e || f || K), K = f^x = e^y as mpint.

function method(name: string, group: DhGroup, hashName: HashName): KexMethod {
  const client = (inputs: KexInputs): ClientKex => {
    const key = dhKeyPair(inputs.env, group, hashName);
    return {
      start: () => [new SshWriter(group.bits / 8 + 16).byte(KEXDH_MSG.INIT).mpint(key.pub).toBytes()],
      handle(payload) {
        const r = expectMessage(payload, KEXDH_MSG.REPLY, 'SSH_MSG_KEXDH_REPLY');
        const hostKeyBlob = r.bytes().slice();
        const f = r.mpint();
        const signature = r.bytes().slice();
        r.end();
        checkPublicValue(group, f, 'f');
        const sharedSecret = sharedSecretMpint(group, key, f);
        const h = exchangeHash(hashName, inputs, hostKeyBlob, (w) => w.mpint(key.pub).mpint(f), sharedSecret);
        return { send: [], result: { sharedSecret, exchangeHash: h, hostKeyBlob, signature } };
      },
    };
  };

  const server = (inputs: KexInputs, hostKey: ServerHostKey): ServerKex => ({
    handle(payload) {
      const r = expectMessage(payload, KEXDH_MSG.INIT, 'SSH_MSG_KEXDH_INIT');
      const e = r.mpint();
      r.end();
      checkPublicValue(group, e, 'e');
      const key = dhKeyPair(inputs.env, group, hashName);
      const sharedSecret = sharedSecretMpint(group, key, e);
      const h = exchangeHash(hashName, inputs, hostKey.blob, (w) => w.mpint(e).mpint(key.pub), sharedSecret);
      const reply = new SshWriter(group.bits / 8 + 512)
        .byte(KEXDH_MSG.REPLY)
        .string(hostKey.blob)
        .mpint(key.pub)
        .string(hostKey.sign(h))
        .toBytes();
      return { send: [reply], result: { sharedSecret, exchangeHash: h } };
    },
  });

  return Object.freeze({ name, hash: hashName, client, server });
}

/** RFC 8268 §3. */
export const diffieHellmanGroup14Sha256: KexMethod = method('diffie-hellman-group14-sha256', MODP_2048, 'sha256');
export const diffieHellmanGroup16Sha512: KexMethod = method('diffie-hellman-group16-sha512', MODP_4096, 'sha512');
export const diffieHellmanGroup18Sha512: KexMethod = method('diffie-hellman-group18-sha512', MODP_8192, 'sha512');
/** RFC 4253 §8.2 (group 14) and §8.1 (group 1, the 1024-bit Oakley group 2): legacy, enabled only by name. */
export const diffieHellmanGroup14Sha1: KexMethod = method('diffie-hellman-group14-sha1', MODP_2048, 'sha1');
export const diffieHellmanGroup1Sha1: KexMethod = method('diffie-hellman-group1-sha1', OAKLEY_GROUP_2, 'sha1');
