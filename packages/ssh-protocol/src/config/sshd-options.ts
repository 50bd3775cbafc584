// The typed server configuration and its defaults (OpenSSH sshd_config(5), paths under /etc/tssh).

import type { AlgorithmSpec } from './algorithm-list.js';
import { PENALTY_DEFAULTS, type PerSourcePenalties } from './sshd-penalties.js';
import type { LogLevel, RekeyLimit } from './value-parsers.js';

export type PermitRootLogin = 'yes' | 'prohibit-password' | 'forced-commands-only' | 'no';
export type TcpForwarding = 'yes' | 'no' | 'local' | 'remote';
export type GatewayPorts = 'no' | 'yes' | 'clientspecified';
export type AddressFamily = 'any' | 'inet' | 'inet6';
export type AuthenticationMethods = 'any' | readonly (readonly string[])[];

/** A ListenAddress line; without a port it listens on every Port. */
export interface ListenAddress {
  readonly host: string;
  readonly port?: number;
}

export interface Subsystem {
  readonly name: string;
  readonly command: string;
}

/** MaxStartups start:rate:full. */
export interface MaxStartups {
  readonly start: number;
  readonly rate: number;
  readonly full: number;
}

/** A PermitOpen destination; `*` stands for any host or any port. */
export interface PermitOpenEntry {
  readonly host: string;
  readonly port: number | '*';
}

export type PermitOpen = 'any' | 'none' | readonly PermitOpenEntry[];

export interface SshdSettings {
  ports: readonly number[];
  listenAddresses: readonly ListenAddress[];
  addressFamily: AddressFamily;
  hostKeys: readonly string[];
  /** Relative paths are relative to the user's home; tokens %h %u %U %% are left for expansion. */
  authorizedKeysFiles: readonly string[];
  permitRootLogin: PermitRootLogin;
  logLevel: LogLevel;
  pidFile: string | undefined;
  maxAuthTries: number;
  /** Seconds; 0 means no limit. */
  loginGraceTime: number;
  pubkeyAuthentication: boolean;
  passwordAuthentication: boolean;
  kbdInteractiveAuthentication: boolean;
  permitEmptyPasswords: boolean;
  authenticationMethods: AuthenticationMethods;
  allowUsers: readonly string[];
  denyUsers: readonly string[];
  allowGroups: readonly string[];
  denyGroups: readonly string[];
  banner: string | undefined;
  printMotd: boolean;
  printLastLog: boolean;
  acceptEnv: readonly string[];
  setEnv: readonly string[];
  subsystems: readonly Subsystem[];
  strictModes: boolean;
  usePam: boolean;
  x11Forwarding: boolean;
  allowTcpForwarding: TcpForwarding;
  allowAgentForwarding: boolean;
  disableForwarding: boolean;
  permitTty: boolean;
  /** yes, no, or a pattern list of variable names. */
  permitUserEnvironment: boolean | string;
  clientAliveInterval: number;
  clientAliveCountMax: number;
  maxSessions: number;
  maxStartups: MaxStartups;
  /** Connections per source network; undefined means no limit. */
  perSourceMaxStartups: number | undefined;
  perSourceNetBlockSize: { readonly v4: number; readonly v6: number };
  perSourcePenalties: PerSourcePenalties;
  /** Addresses never penalised (an address list), or undefined for none. */
  perSourcePenaltyExemptList: string | undefined;
  syslogFacility: string;
  /** tssh: log lines as OpenSSH's text, or as JSON records with structured fields. */
  logFormat: 'text' | 'json';
  ciphers: AlgorithmSpec | undefined;
  macs: AlgorithmSpec | undefined;
  kexAlgorithms: AlgorithmSpec | undefined;
  hostKeyAlgorithms: AlgorithmSpec | undefined;
  pubkeyAcceptedAlgorithms: AlgorithmSpec | undefined;
  rekeyLimit: RekeyLimit;
  compression: boolean;
  forceCommand: string | undefined;
  chrootDirectory: string | undefined;
  useDns: boolean;
  tcpKeepAlive: boolean;
  permitOpen: PermitOpen;
  gatewayPorts: GatewayPorts;
  versionAddendum: string | undefined;
  /** The per-connection worker program (OpenSSH 9.8's SshdSessionPath); undefined means the one installed alongside. */
  sshdSessionPath: string | undefined;
}

export const DEFAULT_SYSCONF_DIR = '/etc/tssh';

export function sshdDefaults(sysconfDir: string = DEFAULT_SYSCONF_DIR): SshdSettings {
  return {
    ports: [22],
    listenAddresses: [],
    addressFamily: 'any',
    hostKeys: ['rsa', 'ecdsa', 'ed25519'].map((t) => `${sysconfDir}/ssh_host_${t}_key`),
    authorizedKeysFiles: ['.ssh/authorized_keys', '.ssh/authorized_keys2'],
    permitRootLogin: 'prohibit-password',
    logLevel: 'INFO',
    pidFile: '/run/tsshd.pid',
    maxAuthTries: 6,
    loginGraceTime: 120,
    pubkeyAuthentication: true,
    passwordAuthentication: true,
    kbdInteractiveAuthentication: true,
    permitEmptyPasswords: false,
    authenticationMethods: 'any',
    allowUsers: [],
    denyUsers: [],
    allowGroups: [],
    denyGroups: [],
    banner: undefined,
    printMotd: true,
    printLastLog: true,
    acceptEnv: [],
    setEnv: [],
    subsystems: [],
    strictModes: true,
    usePam: false,
    x11Forwarding: false,
    allowTcpForwarding: 'yes',
    allowAgentForwarding: true,
    disableForwarding: false,
    permitTty: true,
    permitUserEnvironment: false,
    clientAliveInterval: 0,
    clientAliveCountMax: 3,
    maxSessions: 10,
    maxStartups: { start: 10, rate: 30, full: 100 },
    perSourceMaxStartups: undefined,
    perSourceNetBlockSize: { v4: 32, v6: 128 },
    perSourcePenalties: { ...PENALTY_DEFAULTS },
    perSourcePenaltyExemptList: undefined,
    syslogFacility: 'AUTH',
    logFormat: 'text',
    ciphers: undefined,
    macs: undefined,
    kexAlgorithms: undefined,
    hostKeyAlgorithms: undefined,
    pubkeyAcceptedAlgorithms: undefined,
    rekeyLimit: { bytes: 0, seconds: 0 },
    compression: true,
    forceCommand: undefined,
    chrootDirectory: undefined,
    useDns: false,
    tcpKeepAlive: true,
    permitOpen: 'any',
    gatewayPorts: 'no',
    versionAddendum: undefined,
    sshdSessionPath: undefined,
  };
}

/** Every address and port to bind: each ListenAddress, or the wildcard addresses, on every Port. */
export function listenEndpoints(
  cfg: Pick<SshdSettings, 'ports' | 'listenAddresses' | 'addressFamily'>,
): { host: string; port: number }[] {
  const out: { host: string; port: number }[] = [];
  const wild = cfg.addressFamily === 'inet' ? ['0.0.0.0'] : cfg.addressFamily === 'inet6' ? ['::'] : ['::', '0.0.0.0'];
  const addrs: readonly ListenAddress[] = cfg.listenAddresses.length > 0 ? cfg.listenAddresses : wild.map((host) => ({ host }));
  for (const a of addrs) {
    for (const port of a.port !== undefined ? [a.port] : cfg.ports) out.push({ host: a.host, port });
  }
  return out;
}
