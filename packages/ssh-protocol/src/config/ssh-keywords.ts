// The ssh_config keyword table (OpenSSH ssh_config(5)); multi keywords accumulate, others keep the first value.

import type { AlgorithmCatalog } from './algorithm-list.js';
import { algorithmSpecArg } from './algorithm-keyword.js';
import { ConfigError } from './config-error.js';
import { parseForwardSpec, type ForwardKind, type ForwardSpec } from './forward-spec.js';
import { indexKeywords, keywordOf, type KeywordSpec } from './keyword-table.js';
import type { ConfigLine } from './lexer.js';
import { matchPattern } from './pattern-match.js';
import type { AddKeysToAgent, SshSettings } from './ssh-options.js';
import {
  choiceArg,
  flagArg,
  integerArg,
  logLevelArg,
  noneOr,
  oneArg,
  parsePort,
  parseTime,
  rekeyLimitArg,
  timeArg,
  YES_NO,
  YES_NO_TRUE_FALSE as FLAG,
} from './value-parsers.js';

export interface SshParseContext {
  readonly algorithms?: AlgorithmCatalog;
}

const kw = keywordOf<SshSettings, SshParseContext>();

const ASK = { yes: 'yes', true: 'yes', no: 'no', false: 'no', ask: 'ask' } as const;

function forward(line: ConfigLine, kind: ForwardKind): ForwardSpec[] {
  const [first, second, ...extra] = line.args;
  if (extra.length > 0 || (kind === 'dynamic' && second !== undefined)) {
    throw ConfigError.at(line, `keyword ${line.keyword} extra arguments at end of line`);
  }
  if (kind === 'local' && second === undefined) throw ConfigError.at(line, 'Missing target argument.');
  const spec = parseForwardSpec(second === undefined ? first : `${first}:${second}`, kind);
  if (!spec) throw ConfigError.at(line, 'Bad forwarding specification.');
  return [spec];
}

/** `-NAME` removes earlier patterns that match it (OpenSSH rm_env); others are added once. */
function sendEnvMerge(prev: readonly string[], next: readonly string[]): readonly string[] {
  let out = [...prev];
  for (const p of next) {
    if (p.startsWith('-')) out = out.filter((e) => !matchPattern(e, p.slice(1)));
    else if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** The first value given for a variable name wins. */
function setEnvMerge(prev: readonly string[], next: readonly string[]): readonly string[] {
  const out = [...prev];
  const name = (v: string) => v.slice(0, v.indexOf('='));
  for (const v of next) if (!out.some((e) => name(e) === name(v))) out.push(v);
  return out;
}

function escapeChar(line: ConfigLine): string | undefined {
  const v = oneArg(line);
  if (v.toLowerCase() === 'none') return undefined;
  if (v.length === 1) return v;
  if (v.length === 2 && v[0] === '^') return String.fromCharCode(v.charCodeAt(1) & 31);
  throw ConfigError.at(line, 'Bad escape character.');
}

function addKeysToAgent(line: ConfigLine): AddKeysToAgent {
  const [first, second, ...extra] = line.args;
  if (extra.length > 0) throw ConfigError.at(line, `keyword ${line.keyword} extra arguments at end of line`);
  const asTime = parseTime(first);
  if (asTime !== undefined && second === undefined) return { mode: 'yes', lifetime: asTime };
  const modes = { yes: 'yes', true: 'yes', no: 'no', false: 'no', ask: 'ask', confirm: 'confirm' } as const;
  const mode = Object.hasOwn(modes, first.toLowerCase()) ? modes[first.toLowerCase() as keyof typeof modes] : undefined;
  if (!mode) throw ConfigError.at(line, `unsupported option "${first}".`);
  return second === undefined ? { mode } : { mode, lifetime: timeArg(line, second) };
}

function controlPersist(line: ConfigLine): false | number {
  const v = oneArg(line).toLowerCase();
  if (v === 'yes' || v === 'true') return 0;
  if (v === 'no' || v === 'false') return false;
  const t = parseTime(v);
  if (t === undefined) throw ConfigError.at(line, 'Bad ControlPersist argument.');
  return t;
}

function fileList(line: ConfigLine): string[] {
  return line.args.length === 1 && line.args[0].toLowerCase() === 'none' ? [] : [...line.args];
}

export const SSH_KEYWORDS: readonly KeywordSpec<SshSettings, SshParseContext>[] = [
  kw({ name: 'HostName', field: 'hostName', parse: oneArg }),
  kw({
    name: 'Port',
    field: 'port',
    parse: (l) => {
      const port = parsePort(oneArg(l));
      if (port === undefined) throw ConfigError.at(l, `Bad port '${oneArg(l)}'.`);
      return port;
    },
  }),
  kw({ name: 'User', field: 'user', parse: oneArg }),
  kw({ name: 'IdentityFile', field: 'identityFiles', multi: true, parse: (l) => [oneArg(l)] }),
  kw({ name: 'CertificateFile', field: 'certificateFiles', multi: true, parse: (l) => [oneArg(l)] }),
  kw({ name: 'IdentitiesOnly', field: 'identitiesOnly', parse: (l) => flagArg(l, FLAG) }),
  kw({ name: 'UserKnownHostsFile', field: 'userKnownHostsFiles', parse: fileList }),
  kw({ name: 'GlobalKnownHostsFile', field: 'globalKnownHostsFiles', parse: fileList }),
  kw({
    name: 'StrictHostKeyChecking',
    field: 'strictHostKeyChecking',
    parse: (l) =>
      choiceArg(l, { yes: 'yes', true: 'yes', no: 'no', false: 'no', off: 'no', ask: 'ask', 'accept-new': 'accept-new' } as const),
  }),
  kw({ name: 'HashKnownHosts', field: 'hashKnownHosts', parse: (l) => flagArg(l, FLAG) }),
  kw({ name: 'BatchMode', field: 'batchMode', parse: (l) => flagArg(l, FLAG) }),
  kw({
    name: 'ConnectTimeout',
    field: 'connectTimeout',
    parse: (l) => (oneArg(l).toLowerCase() === 'none' ? undefined : timeArg(l) || undefined),
  }),
  kw({ name: 'ConnectionAttempts', field: 'connectionAttempts', parse: (l) => integerArg(l, 1) }),
  kw({ name: 'LogLevel', field: 'logLevel', parse: logLevelArg }),
  kw({ name: 'PreferredAuthentications', field: 'preferredAuthentications', parse: (l) => oneArg(l).split(',') }),
  kw({
    name: 'PubkeyAuthentication',
    field: 'pubkeyAuthentication',
    parse: (l) => choiceArg(l, { ...FLAG, unbound: true, 'host-bound': true }),
  }),
  kw({ name: 'PasswordAuthentication', field: 'passwordAuthentication', parse: (l) => flagArg(l, FLAG) }),
  kw({ name: 'KbdInteractiveAuthentication', field: 'kbdInteractiveAuthentication', parse: (l) => flagArg(l, FLAG) }),
  kw({ name: 'NumberOfPasswordPrompts', field: 'numberOfPasswordPrompts', parse: (l) => integerArg(l) }),
  kw({ name: 'Ciphers', field: 'ciphers', parse: (l, c) => algorithmSpecArg(l, 'ciphers', c.algorithms) }),
  kw({ name: 'MACs', field: 'macs', parse: (l, c) => algorithmSpecArg(l, 'macs', c.algorithms) }),
  kw({ name: 'KexAlgorithms', field: 'kexAlgorithms', parse: (l, c) => algorithmSpecArg(l, 'kexAlgorithms', c.algorithms) }),
  kw({
    name: 'HostKeyAlgorithms',
    field: 'hostKeyAlgorithms',
    parse: (l, c) => algorithmSpecArg(l, 'hostKeyAlgorithms', c.algorithms),
  }),
  kw({
    name: 'PubkeyAcceptedAlgorithms',
    field: 'pubkeyAcceptedAlgorithms',
    parse: (l, c) => algorithmSpecArg(l, 'pubkeyAcceptedAlgorithms', c.algorithms),
  }),
  kw({ name: 'Compression', field: 'compression', parse: (l) => flagArg(l, YES_NO) }),
  kw({
    name: 'RequestTTY',
    field: 'requestTty',
    parse: (l) => choiceArg(l, { yes: 'yes', true: 'yes', no: 'no', false: 'no', force: 'force', auto: 'auto' } as const),
  }),
  kw({ name: 'SendEnv', field: 'sendEnv', multi: true, parse: (l) => [...l.args], merge: sendEnvMerge }),
  kw({
    name: 'SetEnv',
    field: 'setEnv',
    multi: true,
    parse: (l) => {
      for (const a of l.args) if (a.indexOf('=') <= 0) throw ConfigError.at(l, 'Invalid SetEnv.');
      return setEnvMerge([], l.args);
    },
    merge: setEnvMerge,
  }),
  kw({ name: 'EscapeChar', field: 'escapeChar', parse: escapeChar }),
  kw({ name: 'ServerAliveInterval', field: 'serverAliveInterval', parse: (l) => timeArg(l) }),
  kw({ name: 'ServerAliveCountMax', field: 'serverAliveCountMax', parse: (l) => integerArg(l) }),
  kw({ name: 'LocalForward', field: 'localForwards', multi: true, parse: (l) => forward(l, 'local') }),
  kw({ name: 'RemoteForward', field: 'remoteForwards', multi: true, parse: (l) => forward(l, 'remote') }),
  kw({ name: 'DynamicForward', field: 'dynamicForwards', multi: true, parse: (l) => forward(l, 'dynamic') }),
  kw({
    name: 'ForwardAgent',
    field: 'forwardAgent',
    parse: (l) => {
      const v = oneArg(l);
      return Object.hasOwn(FLAG, v.toLowerCase()) ? FLAG[v.toLowerCase()] : v;
    },
  }),
  kw({
    name: 'ProxyCommand',
    field: 'proxy',
    parse: (l) => (noneOr(l.rest) === undefined ? { kind: 'none' } : { kind: 'command', command: l.rest }),
  }),
  kw({
    name: 'ProxyJump',
    field: 'proxy',
    parse: (l) => {
      const v = oneArg(l);
      if (v.split(',').some((hop) => hop === '')) throw ConfigError.at(l, `Invalid ProxyJump "${v}"`);
      return v.toLowerCase() === 'none' ? { kind: 'none' } : { kind: 'jump', jump: v };
    },
  }),
  kw({ name: 'AddKeysToAgent', field: 'addKeysToAgent', parse: addKeysToAgent }),
  kw({ name: 'IdentityAgent', field: 'identityAgent', parse: oneArg }),
  kw({ name: 'CheckHostIP', field: 'checkHostIp', parse: (l) => flagArg(l, FLAG) }),
  kw({ name: 'UpdateHostKeys', field: 'updateHostKeys', parse: (l) => choiceArg(l, ASK) }),
  kw({ name: 'VerifyHostKeyDNS', field: 'verifyHostKeyDns', parse: (l) => choiceArg(l, ASK) }),
  kw({ name: 'RekeyLimit', field: 'rekeyLimit', parse: rekeyLimitArg }),
  kw({
    name: 'ControlMaster',
    field: 'controlMaster',
    parse: (l) =>
      choiceArg(l, { yes: 'yes', true: 'yes', no: 'no', false: 'no', ask: 'ask', auto: 'auto', autoask: 'autoask' } as const),
  }),
  kw({ name: 'ControlPath', field: 'controlPath', parse: (l) => noneOr(oneArg(l)) }),
  kw({ name: 'ControlPersist', field: 'controlPersist', parse: controlPersist }),
  kw({ name: 'ExitOnForwardFailure', field: 'exitOnForwardFailure', parse: (l) => flagArg(l, FLAG) }),
  kw({ name: 'GatewayPorts', field: 'gatewayPorts', parse: (l) => flagArg(l, FLAG) }),
  kw({ name: 'TCPKeepAlive', field: 'tcpKeepAlive', parse: (l) => flagArg(l, FLAG) }),
  kw({
    name: 'AddressFamily',
    field: 'addressFamily',
    parse: (l) => choiceArg(l, { any: 'any', inet: 'inet', inet6: 'inet6' } as const),
  }),
  kw({ name: 'BindAddress', field: 'bindAddress', parse: (l) => noneOr(oneArg(l)) }),
  kw({ name: 'HostKeyAlias', field: 'hostKeyAlias', parse: oneArg }),
  kw({ name: 'RemoteCommand', field: 'remoteCommand', parse: (l) => noneOr(l.rest) }),
  kw({ name: 'IgnoreUnknown', field: 'ignoreUnknown', parse: oneArg }),
];

export const SSH_KEYWORD_INDEX = indexKeywords(SSH_KEYWORDS, {
  ChallengeResponseAuthentication: 'KbdInteractiveAuthentication',
  PubkeyAcceptedKeyTypes: 'PubkeyAcceptedAlgorithms',
});

/**
 * OpenSSH keywords for features tssh does not have. Like OpenSSH's "Unsupported option" they are
 * accepted and ignored, so existing ~/.ssh/config files keep working.
 */
export const SSH_UNSUPPORTED_KEYWORDS: ReadonlySet<string> = new Set(
  [
    'ForwardX11',
    'ForwardX11Trusted',
    'ForwardX11Timeout',
    'XAuthLocation',
    'GSSAPIAuthentication',
    'GSSAPIDelegateCredentials',
    'HostbasedAuthentication',
    'EnableSSHKeysign',
    'VisualHostKey',
    'IPQoS',
    'FingerprintHash',
    'CanonicalizeHostname',
    'CanonicalDomains',
    'CanonicalizeMaxDots',
    'CanonicalizeFallbackLocal',
    'CanonicalizePermittedCNAMEs',
    'PermitLocalCommand',
    'LocalCommand',
    'Tunnel',
    'TunnelDevice',
    'PKCS11Provider',
    'SecurityKeyProvider',
  ].map((k) => k.toLowerCase()),
);
