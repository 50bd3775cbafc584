// The last step of ssh_config resolution: defaults, HostName, tokens and paths expanded (ssh.c main).

import { hash } from '../crypto/hash.js';
import { toHex, utf8 } from '../wire/bytes.js';
import { ConfigError } from './config-error.js';
import type { ConfigLine } from './lexer.js';
import { sshDefaults, type ResolvedSshConfig, type SshSettings } from './ssh-options.js';
import { expandEnv, expandTilde, expandTokens, TokenError } from './tokens.js';

export interface LocalIdentity {
  readonly user: string;
  readonly home: string;
  readonly uid: number;
  /** The local host name, as %l gives it. */
  readonly hostname: string;
}

export interface FinishInput {
  readonly host: string;
  readonly values: Partial<SshSettings>;
  readonly sources: ReadonlyMap<keyof SshSettings, ConfigLine>;
  readonly local: LocalIdentity;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sysconfDir: string;
  readonly unsupported: readonly string[];
}

/** Values that are not files but name an agent socket indirectly. */
function isIndirectAgent(v: string): boolean {
  return v === 'SSH_AUTH_SOCK' || v.startsWith('$') || v.toLowerCase() === 'none';
}

export function finishSshConfig(input: FinishInput): ResolvedSshConfig {
  const { host, values, local } = input;
  const guard = <T>(field: keyof SshSettings, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      const at = input.sources.get(field);
      if (e instanceof TokenError && at) throw ConfigError.at(at, e.message);
      throw e;
    }
  };
  const v: SshSettings = { ...sshDefaults(input.sysconfDir), hostName: host, user: local.user, ...values };
  const hostName = guard('hostName', () => expandTokens(v.hostName, { h: host }));
  const proxyJump = v.proxy.kind === 'jump' ? v.proxy.jump : undefined;
  const base: Record<string, string> = {
    d: local.home,
    h: hostName,
    i: String(local.uid),
    j: proxyJump ?? '',
    k: v.hostKeyAlias ?? host,
    L: local.hostname.split('.')[0],
    l: local.hostname,
    n: host,
    p: String(v.port),
    r: v.user,
    u: local.user,
  };
  // %C: OpenSSH's connection hash, SHA-1 over %l%h%p%r%j.
  const C = toHex(hash('sha1', utf8(base.l + base.h + base.p + base.r + base.j)));
  const tokens: Readonly<Record<string, string>> = Object.freeze({ ...base, C });
  const path = (field: keyof SshSettings, p: string) =>
    guard(field, () => expandTokens(expandEnv(expandTilde(p, local.home), input.env), tokens));
  const paths = (field: keyof SshSettings, list: readonly string[]) => list.map((p) => path(field, p));
  const agent = <T>(field: keyof SshSettings, a: T) => (typeof a === 'string' && !isIndirectAgent(a) ? path(field, a) : a);
  const { proxy, ...rest } = v;
  return {
    ...rest,
    host,
    hostName,
    identityFiles: paths('identityFiles', v.identityFiles),
    identityFilesFromConfig: values.identityFiles !== undefined,
    certificateFiles: paths('certificateFiles', v.certificateFiles),
    userKnownHostsFiles: paths('userKnownHostsFiles', v.userKnownHostsFiles),
    globalKnownHostsFiles: paths('globalKnownHostsFiles', v.globalKnownHostsFiles),
    controlPath: v.controlPath === undefined ? undefined : path('controlPath', v.controlPath),
    identityAgent: agent('identityAgent', v.identityAgent),
    forwardAgent: agent('forwardAgent', v.forwardAgent),
    proxyCommand: proxy.kind === 'command' ? proxy.command : undefined,
    proxyJump,
    tokens,
    unsupported: input.unsupported,
  };
}
