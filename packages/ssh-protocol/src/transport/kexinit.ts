import { KexError, MSG, SshReader, SshWriter } from '../wire/index.js';

/** RFC 4253 §7.1 SSH_MSG_KEXINIT. */
export interface KexInit {
  cookie: Uint8Array;
  kex: string[];
  hostKey: string[];
  cipherC2S: string[];
  cipherS2C: string[];
  macC2S: string[];
  macS2C: string[];
  compressionC2S: string[];
  compressionS2C: string[];
  languageC2S: string[];
  languageS2C: string[];
  firstKexFollows: boolean;
}

export function encodeKexInit(k: KexInit): Uint8Array {
  const w = new SshWriter(1024).byte(MSG.KEXINIT).raw(k.cookie);
  for (const list of [
    k.kex,
    k.hostKey,
    k.cipherC2S,
    k.cipherS2C,
    k.macC2S,
    k.macS2C,
    k.compressionC2S,
    k.compressionS2C,
    k.languageC2S,
    k.languageS2C,
  ]) {
    w.nameList(list);
  }
  return w.boolean(k.firstKexFollows).u32(0).toBytes();
}

export function decodeKexInit(payload: Uint8Array): KexInit {
  const r = new SshReader(payload, 'KEXINIT');
  r.byte();
  const k: KexInit = {
    cookie: r.raw(16).slice(),
    kex: r.nameList(),
    hostKey: r.nameList(),
    cipherC2S: r.nameList(),
    cipherS2C: r.nameList(),
    macC2S: r.nameList(),
    macS2C: r.nameList(),
    compressionC2S: r.nameList(),
    compressionS2C: r.nameList(),
    languageC2S: r.nameList(),
    languageS2C: r.nameList(),
    firstKexFollows: r.boolean(),
  };
  r.u32(); // reserved
  r.end();
  return k;
}

/** RFC 4253 §7.1: the first algorithm on the client's list that the server also lists. */
export function negotiate(client: readonly string[], server: readonly string[]): string | undefined {
  return client.find((name) => server.includes(name));
}

export interface Negotiated {
  kex: string;
  hostKey: string;
  cipherC2S: string;
  cipherS2C: string;
  macC2S: string;
  macS2C: string;
  compressionC2S: string;
  compressionS2C: string;
}

/** Pseudo-algorithms that signal extensions; never negotiated as real methods. */
export const EXT_INFO_C = 'ext-info-c';
export const EXT_INFO_S = 'ext-info-s';
export const KEX_STRICT_C = 'kex-strict-c-v00@openssh.com';
export const KEX_STRICT_S = 'kex-strict-s-v00@openssh.com';
const PSEUDO = new Set([EXT_INFO_C, EXT_INFO_S, KEX_STRICT_C, KEX_STRICT_S, 'ext-info-in-auth@openssh.com']);

/** RFC 4253 §7.1: no algorithm both sides list for one slot; the key exchange fails (KEY_EXCHANGE_FAILED). */
export class NegotiationError extends KexError {
  override name = 'NegotiationError';
  constructor(
    /** OpenSSH's word for the slot: 'cipher', 'MAC', 'host key type', ... */
    readonly what: string,
    readonly client: readonly string[],
    readonly server: readonly string[],
  ) {
    super(`no matching ${what} found: client ${client.join(',')} server ${server.join(',')}`);
  }

  /** The list the other side sent, as OpenSSH's "Their offer:" names it. */
  theirOffer(role: 'client' | 'server'): readonly string[] {
    return role === 'client' ? this.server : this.client;
  }
}

function pick(what: string, client: readonly string[], server: readonly string[]): string {
  const got = negotiate(client, server);
  if (!got) throw new NegotiationError(what, client, server);
  return got;
}

/** Negotiate every slot; `aead(cipher)` tells whether a cipher carries its own MAC (then the MAC name is unused). */
export function negotiateAll(client: KexInit, server: KexInit, aead: (cipher: string) => boolean): Negotiated {
  const kex = pick('key exchange method', client.kex.filter((n) => !PSEUDO.has(n)), server.kex);
  const hostKey = pick('host key type', client.hostKey, server.hostKey);
  const cipherC2S = pick('cipher', client.cipherC2S, server.cipherC2S);
  const cipherS2C = pick('cipher', client.cipherS2C, server.cipherS2C);
  const macC2S = aead(cipherC2S) ? '<implicit>' : pick('MAC', client.macC2S, server.macC2S);
  const macS2C = aead(cipherS2C) ? '<implicit>' : pick('MAC', client.macS2C, server.macS2C);
  return {
    kex,
    hostKey,
    cipherC2S,
    cipherS2C,
    macC2S,
    macS2C,
    compressionC2S: pick('compression method', client.compressionC2S, server.compressionC2S),
    compressionS2C: pick('compression method', client.compressionS2C, server.compressionS2C),
  };
}

/** RFC 4253 §7: a guessed first KEX packet is right only if both sides' first kex and host key choices agree. */
export function guessWasRight(client: KexInit, server: KexInit): boolean {
  const ck = client.kex.filter((n) => !PSEUDO.has(n));
  const sk = server.kex.filter((n) => !PSEUDO.has(n));
  return ck[0] === sk[0] && client.hostKey[0] === server.hostKey[0];
}
