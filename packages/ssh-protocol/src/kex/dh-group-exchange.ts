import type { HashName } from '../crypto/index.js';
import { KexError, ProtocolError, SshReader, SshWriter } from '../wire/index.js';
import { GEX_GROUPS, type DhGroup } from './dh-groups.js';
import { exchangeHash, expectMessage } from './exchange-hash.js';
import { checkPublicValue, dhKeyPair, sharedSecretMpint, type DhKeyPair } from './finite-field-dh.js';
import { KEX_DH_GEX_MSG } from './kex-messages.js';
import type { ClientKex, KexInputs, KexMethod, ServerHostKey, ServerKex } from './types.js';

// RFC 4419: Diffie-Hellman group exchange. The client asks for a group size (min, n, max), the server picks a safe
// prime group and sends p and g, then the exchange runs as RFC 4253 §8 with messages 32/33 and
// H = HASH(V_C || V_S || I_C || I_S || K_S || min || n || max || p || g || e || f || K).

/** RFC 4419 §3 and RFC 8270: groups under 2048 bits are refused; 8192 is the largest we hold. */
export const GEX_MIN_BITS = 2048;
export const GEX_MAX_BITS = 8192;
/** What our client asks for: OpenSSH's bounds, and 4096 bits preferred (above the 128-bit strength of AES-128). */
export const GEX_PREFERRED_BITS = 4096;

/** The request as it enters H: `min`/`max` are absent for SSH_MSG_KEX_DH_GEX_REQUEST_OLD (RFC 4419 §5). */
export interface GexRequest {
  readonly min?: number;
  readonly n: number;
  readonly max?: number;
}

/** RFC 4419 §3: a group within [min, max]; the smallest of at least n bits, else the largest there is. */
export function chooseGexGroup(min: number, n: number, max: number): DhGroup {
  const fits = GEX_GROUPS.filter((g) => g.bits >= min && g.bits <= max);
  if (fits.length === 0) throw new KexError(`no DH group between ${min} and ${max} bits`);
  return fits.find((g) => g.bits >= n) ?? fits[fits.length - 1];
}

function gexHash(
  hashName: HashName,
  inputs: KexInputs,
  hostKeyBlob: Uint8Array,
  req: GexRequest,
  group: DhGroup,
  e: bigint,
  f: bigint,
  k: Uint8Array,
): Uint8Array {
  return exchangeHash(
    hashName,
    inputs,
    hostKeyBlob,
    (w) => {
      if (req.min === undefined || req.max === undefined) w.u32(req.n);
      else w.u32(req.min).u32(req.n).u32(req.max);
      w.mpint(group.p).mpint(group.g).mpint(e).mpint(f);
    },
    k,
  );
}

function bitLength(v: bigint): number {
  return v <= 0n ? 0 : v.toString(2).length;
}

/** The server's group as the client receives it, checked against what was asked (RFC 4419 §3). */
function readGroup(r: SshReader, req: Required<GexRequest>): DhGroup {
  const p = r.mpint();
  const g = r.mpint();
  r.end();
  const bits = bitLength(p);
  if (bits < req.min || bits > req.max) throw new KexError(`DH group exchange: ${bits}-bit group is out of range`);
  if ((p & 1n) === 0n) throw new KexError('DH group exchange: p is even');
  if (g <= 1n || g >= p - 1n) throw new KexError('DH group exchange: generator out of range');
  return Object.freeze({ p, g, bits });
}

function method(name: string, hashName: HashName): KexMethod {
  const client = (inputs: KexInputs): ClientKex => {
    const req = { min: GEX_MIN_BITS, n: GEX_PREFERRED_BITS, max: GEX_MAX_BITS };
    let group: DhGroup | undefined;
    let key: DhKeyPair | undefined;
    return {
      start: () => [
        new SshWriter(16).byte(KEX_DH_GEX_MSG.REQUEST).u32(req.min).u32(req.n).u32(req.max).toBytes(),
      ],
      handle(payload) {
        if (!group || !key) {
          group = readGroup(expectMessage(payload, KEX_DH_GEX_MSG.GROUP, 'SSH_MSG_KEX_DH_GEX_GROUP'), req);
          key = dhKeyPair(inputs.env, group, hashName);
          const init = new SshWriter(Math.ceil(group.bits / 8) + 16).byte(KEX_DH_GEX_MSG.INIT).mpint(key.pub);
          return { send: [init.toBytes()] };
        }
        const r = expectMessage(payload, KEX_DH_GEX_MSG.REPLY, 'SSH_MSG_KEX_DH_GEX_REPLY');
        const hostKeyBlob = r.bytes().slice();
        const f = r.mpint();
        const signature = r.bytes().slice();
        r.end();
        checkPublicValue(group, f, 'f');
        const sharedSecret = sharedSecretMpint(group, key, f);
        const h = gexHash(hashName, inputs, hostKeyBlob, req, group, key.pub, f, sharedSecret);
        return { send: [], result: { sharedSecret, exchangeHash: h, hostKeyBlob, signature } };
      },
    };
  };

  const server = (inputs: KexInputs, hostKey: ServerHostKey): ServerKex => {
    let req: GexRequest | undefined;
    let group: DhGroup | undefined;
    const onRequest = (payload: Uint8Array): Uint8Array => {
      const r = new SshReader(payload, 'SSH_MSG_KEX_DH_GEX_REQUEST');
      const msg = r.byte();
      if (msg === KEX_DH_GEX_MSG.REQUEST) {
        const [min, n, max] = [r.u32(), r.u32(), r.u32()];
        r.end();
        // RFC 4419 §3 bounds, refused as OpenSSH does; the hash keeps the values as the client sent them.
        if (max < min || n < min || max < n || max < GEX_MIN_BITS) {
          throw new KexError(`DH group exchange: bad request min ${min} n ${n} max ${max}`);
        }
        req = { min, n, max };
      } else if (msg === KEX_DH_GEX_MSG.REQUEST_OLD) {
        req = { n: r.u32() };
        r.end();
      } else {
        throw new ProtocolError(`SSH_MSG_KEX_DH_GEX_REQUEST: unexpected message ${msg} during key exchange`);
      }
      const clamp = (v: number): number => Math.min(GEX_MAX_BITS, Math.max(GEX_MIN_BITS, v));
      group = chooseGexGroup(clamp(req.min ?? GEX_MIN_BITS), clamp(req.n), clamp(req.max ?? GEX_MAX_BITS));
      return new SshWriter(Math.ceil(group.bits / 8) + 16)
        .byte(KEX_DH_GEX_MSG.GROUP)
        .mpint(group.p)
        .mpint(group.g)
        .toBytes();
    };
    return {
      handle(payload) {
        if (!req || !group) return { send: [onRequest(payload)] };
        const r = expectMessage(payload, KEX_DH_GEX_MSG.INIT, 'SSH_MSG_KEX_DH_GEX_INIT');
        const e = r.mpint();
        r.end();
        checkPublicValue(group, e, 'e');
        const key = dhKeyPair(inputs.env, group, hashName);
        const sharedSecret = sharedSecretMpint(group, key, e);
        const h = gexHash(hashName, inputs, hostKey.blob, req, group, e, key.pub, sharedSecret);
        const reply = new SshWriter(Math.ceil(group.bits / 8) + 512)
          .byte(KEX_DH_GEX_MSG.REPLY)
          .string(hostKey.blob)
          .mpint(key.pub)
          .string(hostKey.sign(h))
          .toBytes();
        return { send: [reply], result: { sharedSecret, exchangeHash: h } };
      },
    };
  };

  return Object.freeze({ name, hash: hashName, client, server });
}

export const diffieHellmanGroupExchangeSha256: KexMethod = method('diffie-hellman-group-exchange-sha256', 'sha256');
/** Legacy (SHA-1): enabled only by name. */
export const diffieHellmanGroupExchangeSha1: KexMethod = method('diffie-hellman-group-exchange-sha1', 'sha1');
