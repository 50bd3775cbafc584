// Helpers for driving one KexMethod by hand: fixed exchange-hash inputs, an exchange hash computed independently of
// kex/, and a host key that records what it was asked to sign.
import { createHash } from 'node:crypto';
import type { KexInputs, ServerHostKey } from '@tssh/ssh-protocol/kex';
import { SshWriter, utf8 } from '@tssh/ssh-protocol/wire';
import { testEnv } from './env.js';

export function kexInputs(): KexInputs {
  return {
    clientVersion: 'SSH-2.0-test_client',
    serverVersion: 'SSH-2.0-test_server',
    clientKexInit: utf8('client kexinit payload'),
    serverKexInit: utf8('server kexinit payload'),
    env: testEnv(),
  };
}

export interface RecordingHostKey extends ServerHostKey {
  readonly signed: Uint8Array[];
}

/** A stand-in host key: the transport checks real signatures, these tests check what H was signed. */
export function recordingHostKey(): RecordingHostKey {
  const signed: Uint8Array[] = [];
  return {
    blob: new SshWriter().string('ssh-test').string('host key').toBytes(),
    signed,
    sign(h) {
      signed.push(h.slice());
      return new SshWriter().string('ssh-test').string('signature').toBytes();
    },
  };
}

/** H = HASH(V_C || V_S || I_C || I_S || K_S || fields... || K), each piece already SSH-encoded but the first five. */
export function expectedExchangeHash(
  hashName: 'sha1' | 'sha256' | 'sha384' | 'sha512',
  inputs: KexInputs,
  hostKeyBlob: Uint8Array,
  encodedFields: Uint8Array,
  encodedK: Uint8Array,
): Uint8Array {
  const h = createHash(hashName);
  for (const s of [utf8(inputs.clientVersion), utf8(inputs.serverVersion), inputs.clientKexInit, inputs.serverKexInit, hostKeyBlob]) {
    h.update(new SshWriter().string(s).toBytes());
  }
  h.update(encodedFields).update(encodedK);
  return new Uint8Array(h.digest());
}

/** An SSH mpint from an unsigned big-endian magnitude (RFC 4251 §5), written without the writer's helper. */
export function mpintOf(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  const body = m.length && m[0] & 0x80 ? Buffer.concat([Buffer.of(0), m]) : Buffer.from(m);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return new Uint8Array(Buffer.concat([len, body]));
}

/** Square-and-multiply, the textbook way: a reference the OpenSSL-backed adapter is checked against. */
export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % mod;
    b = (b * b) % mod;
  }
  return r;
}
