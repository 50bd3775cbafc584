// The sshd_config keyword table: what each keyword sets, how its value reads, and whether Match may hold it.

import type { AlgorithmCatalog } from './algorithm-list.js';
import { algorithmSpecArg } from './algorithm-keyword.js';
import { ConfigError } from './config-error.js';
import { keywordOf, indexKeywords, type KeywordSpec } from './keyword-table.js';
import type { ConfigLine } from './lexer.js';
import type { ListenAddress, PermitOpenEntry, SshdSettings, Subsystem } from './sshd-options.js';
import { mergePerSourcePenalties, parsePenaltyExemptList, parsePerSourcePenalties } from './sshd-penalties.js';
import {
  choiceArg,
  flagArg,
  integerArg,
  logLevelArg,
  noneOr,
  oneArg,
  parseDecimal,
  parsePort,
  rekeyLimitArg,
  timeArg,
} from './value-parsers.js';

export interface SshdParseContext {
  readonly algorithms?: AlgorithmCatalog;
}

const kw = keywordOf<SshdSettings, SshdParseContext>();

/** `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address; an optional `rdomain NAME` is refused. */
export function parseListenAddress(line: ConfigLine): ListenAddress {
  const spec = oneArg(line);
  let host: string;
  let portText: string | undefined;
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']');
    const after = close < 0 ? '' : spec.slice(close + 1);
    if (close < 0 || (after !== '' && !after.startsWith(':'))) throw ConfigError.at(line, 'bad address:port usage');
    host = spec.slice(1, close);
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colons = spec.split(':').length - 1;
    host = colons === 1 ? spec.slice(0, spec.indexOf(':')) : spec;
    portText = colons === 1 ? spec.slice(spec.indexOf(':') + 1) : undefined;
  }
  if (host === '') throw ConfigError.at(line, 'missing address');
  if (portText === undefined) return { host };
  const port = parsePort(portText);
  if (port === undefined) throw ConfigError.at(line, 'bad port number');
  return { host, port };
}

function permitOpenEntry(line: ConfigLine, arg: string): PermitOpenEntry {
  const bracket = /^\[([^\]]+)\]:(.+)$/.exec(arg);
  const cut = arg.lastIndexOf(':');
  const host = bracket ? bracket[1] : arg.slice(0, cut);
  const portText = bracket ? bracket[2] : arg.slice(cut + 1);
  const port = portText === '*' ? '*' : parsePort(portText);
  if (cut <= 0 || port === undefined) throw ConfigError.at(line, `${line.keyword} bad port number`);
  return { host, port };
}

const AUTH_METHODS = ['publickey', 'password', 'keyboard-interactive', 'hostbased', 'gssapi-with-mic'];

function authenticationMethods(line: ConfigLine): SshdSettings['authenticationMethods'] {
  if (line.args.includes('any')) {
    if (line.args.length > 1) throw ConfigError.at(line, '"any" must appear alone in AuthenticationMethods');
    return 'any';
  }
  return line.args.map((list) => {
    const methods = list.split(',');
    for (const m of methods) {
      const name = m.split(':')[0];
      if (!AUTH_METHODS.includes(name) || (m.includes(':') && name !== 'keyboard-interactive')) {
        throw ConfigError.at(line, 'invalid AuthenticationMethods method list.');
      }
    }
    return methods;
  });
}

function maxStartups(line: ConfigLine): SshdSettings['maxStartups'] {
  const parts = oneArg(line).split(':').map(parseDecimal);
  const bad = () => ConfigError.at(line, `Invalid ${line.keyword} spec.`);
  if ((parts.length !== 1 && parts.length !== 3) || parts.some((p) => p === undefined)) throw bad();
  const [start, rate, full] = parts.length === 3 ? (parts as number[]) : [parts[0] as number, 30, parts[0] as number];
  if (start <= 0 || full <= 0 || start > full || rate < 1 || rate > 100) throw bad();
  return { start, rate, full };
}

function netBlockSize(line: ConfigLine): SshdSettings['perSourceNetBlockSize'] {
  const [v4, v6 = 128, ...rest] = oneArg(line).split(':').map(parseDecimal);
  if (rest.length > 0 || v4 === undefined || v6 === undefined || v4 > 32 || v6 > 128) {
    throw ConfigError.at(line, `Invalid ${line.keyword} spec.`);
  }
  return { v4, v6 };
}

const FACILITIES = ['DAEMON', 'USER', 'AUTH', 'AUTHPRIV', ...Array.from({ length: 8 }, (_, i) => `LOCAL${i}`)];

function subsystemMerge(prev: readonly Subsystem[], next: readonly Subsystem[], line: ConfigLine): readonly Subsystem[] {
  for (const s of next) {
    if (prev.some((p) => p.name === s.name)) throw ConfigError.at(line, `Subsystem '${s.name}' already defined.`);
  }
  return [...prev, ...next];
}

function setEnvArgs(line: ConfigLine): string[] {
  for (const a of line.args) if (!a.includes('=')) throw ConfigError.at(line, 'Invalid environment.');
  return [...line.args];
}

const FORWARDING = { yes: 'yes', all: 'yes', no: 'no', local: 'local', remote: 'remote' } as const;

export const SSHD_KEYWORDS: readonly KeywordSpec<SshdSettings, SshdParseContext>[] = [
  kw({
    name: 'Port',
    field: 'ports',
    multi: true,
    parse: (l) => {
      const port = parsePort(oneArg(l));
      if (port === undefined) throw ConfigError.at(l, 'invalid port number');
      return [port];
    },
  }),
  kw({ name: 'ListenAddress', field: 'listenAddresses', multi: true, parse: (l) => [parseListenAddress(l)] }),
  kw({ name: 'AddressFamily', field: 'addressFamily', parse: (l) => choiceArg(l, { any: 'any', inet: 'inet', inet6: 'inet6' } as const) }),
  kw({ name: 'HostKey', field: 'hostKeys', multi: true, parse: (l) => [oneArg(l)] }),
  kw({
    name: 'AuthorizedKeysFile',
    field: 'authorizedKeysFiles',
    inMatch: true,
    parse: (l) => (l.args.length === 1 && l.args[0].toLowerCase() === 'none' ? [] : [...l.args]),
  }),
  kw({
    name: 'PermitRootLogin',
    field: 'permitRootLogin',
    inMatch: true,
    parse: (l) =>
      choiceArg(l, {
        yes: 'yes',
        'prohibit-password': 'prohibit-password',
        'without-password': 'prohibit-password',
        'forced-commands-only': 'forced-commands-only',
        no: 'no',
      } as const),
  }),
  kw({ name: 'LogLevel', field: 'logLevel', inMatch: true, parse: logLevelArg }),
  kw({ name: 'PidFile', field: 'pidFile', parse: (l) => noneOr(oneArg(l)) }),
  kw({ name: 'MaxAuthTries', field: 'maxAuthTries', inMatch: true, parse: (l) => integerArg(l) }),
  kw({ name: 'LoginGraceTime', field: 'loginGraceTime', parse: (l) => timeArg(l) }),
  kw({ name: 'PubkeyAuthentication', field: 'pubkeyAuthentication', inMatch: true, parse: (l) => flagArg(l) }),
  kw({ name: 'PasswordAuthentication', field: 'passwordAuthentication', inMatch: true, parse: (l) => flagArg(l) }),
  kw({ name: 'KbdInteractiveAuthentication', field: 'kbdInteractiveAuthentication', inMatch: true, parse: (l) => flagArg(l) }),
  kw({ name: 'PermitEmptyPasswords', field: 'permitEmptyPasswords', inMatch: true, parse: (l) => flagArg(l) }),
  kw({ name: 'AuthenticationMethods', field: 'authenticationMethods', inMatch: true, parse: authenticationMethods }),
  kw({ name: 'AllowUsers', field: 'allowUsers', multi: true, inMatch: true, parse: (l) => [...l.args] }),
  kw({ name: 'DenyUsers', field: 'denyUsers', multi: true, inMatch: true, parse: (l) => [...l.args] }),
  kw({ name: 'AllowGroups', field: 'allowGroups', multi: true, inMatch: true, parse: (l) => [...l.args] }),
  kw({ name: 'DenyGroups', field: 'denyGroups', multi: true, inMatch: true, parse: (l) => [...l.args] }),
  kw({ name: 'Banner', field: 'banner', inMatch: true, parse: (l) => noneOr(oneArg(l)) }),
  kw({ name: 'PrintMotd', field: 'printMotd', parse: (l) => flagArg(l) }),
  kw({ name: 'PrintLastLog', field: 'printLastLog', parse: (l) => flagArg(l) }),
  kw({ name: 'AcceptEnv', field: 'acceptEnv', multi: true, inMatch: true, parse: (l) => [...l.args] }),
  kw({ name: 'SetEnv', field: 'setEnv', multi: true, inMatch: true, parse: setEnvArgs }),
  kw({
    name: 'Subsystem',
    field: 'subsystems',
    multi: true,
    parse: (l) => {
      if (l.args.length < 2) throw ConfigError.at(l, 'Missing subsystem command.');
      return [{ name: l.args[0], command: l.args.slice(1).join(' ') }];
    },
    merge: subsystemMerge,
  }),
  kw({ name: 'StrictModes', field: 'strictModes', parse: (l) => flagArg(l) }),
  kw({ name: 'UsePAM', field: 'usePam', parse: (l) => flagArg(l) }),
  kw({ name: 'X11Forwarding', field: 'x11Forwarding', inMatch: true, parse: (l) => flagArg(l) }),
  kw({ name: 'AllowTcpForwarding', field: 'allowTcpForwarding', inMatch: true, parse: (l) => choiceArg(l, FORWARDING) }),
  kw({ name: 'AllowAgentForwarding', field: 'allowAgentForwarding', inMatch: true, parse: (l) => flagArg(l) }),
  kw({ name: 'DisableForwarding', field: 'disableForwarding', inMatch: true, parse: (l) => flagArg(l) }),
  kw({ name: 'PermitTTY', field: 'permitTty', inMatch: true, parse: (l) => flagArg(l) }),
  kw({
    name: 'PermitUserEnvironment',
    field: 'permitUserEnvironment',
    parse: (l) => {
      const v = oneArg(l);
      return v.toLowerCase() === 'yes' ? true : v.toLowerCase() === 'no' ? false : v;
    },
  }),
  kw({ name: 'ClientAliveInterval', field: 'clientAliveInterval', inMatch: true, parse: (l) => timeArg(l) }),
  kw({ name: 'ClientAliveCountMax', field: 'clientAliveCountMax', inMatch: true, parse: (l) => integerArg(l) }),
  kw({ name: 'MaxSessions', field: 'maxSessions', inMatch: true, parse: (l) => integerArg(l) }),
  kw({ name: 'MaxStartups', field: 'maxStartups', parse: maxStartups }),
  kw({
    name: 'PerSourceMaxStartups',
    field: 'perSourceMaxStartups',
    parse: (l) => (oneArg(l).toLowerCase() === 'none' ? undefined : integerArg(l, 1)),
  }),
  kw({ name: 'PerSourceNetBlockSize', field: 'perSourceNetBlockSize', parse: netBlockSize }),
  kw({
    name: 'PerSourcePenalties',
    field: 'perSourcePenalties',
    multi: true,
    parse: parsePerSourcePenalties,
    merge: mergePerSourcePenalties,
  }),
  kw({ name: 'PerSourcePenaltyExemptList', field: 'perSourcePenaltyExemptList', parse: parsePenaltyExemptList }),
  kw({ name: 'LogFormat', field: 'logFormat', parse: (l) => choiceArg(l, { text: 'text', json: 'json' } as const) }),
  kw({
    name: 'SyslogFacility',
    field: 'syslogFacility',
    parse: (l) => {
      const v = oneArg(l).toUpperCase();
      if (!FACILITIES.includes(v)) throw ConfigError.at(l, `unsupported log facility '${oneArg(l)}'`);
      return v;
    },
  }),
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
    inMatch: true,
    parse: (l, c) => algorithmSpecArg(l, 'pubkeyAcceptedAlgorithms', c.algorithms),
  }),
  kw({ name: 'RekeyLimit', field: 'rekeyLimit', inMatch: true, parse: rekeyLimitArg }),
  kw({ name: 'Compression', field: 'compression', parse: (l) => choiceArg(l, { yes: true, delayed: true, no: false }) }),
  kw({ name: 'ForceCommand', field: 'forceCommand', inMatch: true, parse: (l) => noneOr(l.rest) }),
  kw({ name: 'ChrootDirectory', field: 'chrootDirectory', inMatch: true, parse: (l) => noneOr(oneArg(l)) }),
  kw({ name: 'UseDNS', field: 'useDns', parse: (l) => flagArg(l) }),
  kw({ name: 'TCPKeepAlive', field: 'tcpKeepAlive', parse: (l) => flagArg(l) }),
  kw({
    name: 'PermitOpen',
    field: 'permitOpen',
    inMatch: true,
    parse: (l) => {
      const word = l.args[0].toLowerCase();
      if (word === 'any' || word === 'none') return (oneArg(l), word);
      return l.args.map((a) => permitOpenEntry(l, a));
    },
  }),
  kw({
    name: 'GatewayPorts',
    field: 'gatewayPorts',
    inMatch: true,
    parse: (l) => choiceArg(l, { no: 'no', yes: 'yes', clientspecified: 'clientspecified' } as const),
  }),
  kw({ name: 'VersionAddendum', field: 'versionAddendum', parse: (l) => noneOr(l.rest) }),
  kw({ name: 'SshdSessionPath', field: 'sshdSessionPath', parse: (l) => oneArg(l) }),
];

/** Lower-case keyword (and old spellings) to its entry. */
export const SSHD_KEYWORD_INDEX = indexKeywords(SSHD_KEYWORDS, {
  ChallengeResponseAuthentication: 'KbdInteractiveAuthentication',
  PubkeyAcceptedKeyTypes: 'PubkeyAcceptedAlgorithms',
});
