// The client configuration: values as read (SshSettings) and the resolved result (ResolvedSshConfig).

import type { AlgorithmSpec } from './algorithm-list.js';
import type { ForwardSpec } from './forward-spec.js';
import type { AddressFamily } from './sshd-options.js';
import type { LogLevel, RekeyLimit } from './value-parsers.js';

export type StrictHostKeyChecking = 'ask' | 'yes' | 'accept-new' | 'no';
export type RequestTty = 'auto' | 'yes' | 'no' | 'force';
export type AskYesNo = 'yes' | 'no' | 'ask';
export type ControlMaster = 'no' | 'yes' | 'ask' | 'auto' | 'autoask';

/** ProxyCommand and ProxyJump compete: whichever comes first wins; `none` also wins. */
export type Proxy =
  | { readonly kind: 'none' }
  | { readonly kind: 'command'; readonly command: string }
  | { readonly kind: 'jump'; readonly jump: string };

export interface AddKeysToAgent {
  readonly mode: 'no' | 'yes' | 'ask' | 'confirm';
  /** Seconds the agent keeps the key; undefined means forever. */
  readonly lifetime?: number;
}

/** Values as written in the files; paths and host names are not yet expanded. */
export interface SshSettings {
  hostName: string;
  port: number;
  user: string;
  identityFiles: readonly string[];
  certificateFiles: readonly string[];
  identitiesOnly: boolean;
  userKnownHostsFiles: readonly string[];
  globalKnownHostsFiles: readonly string[];
  strictHostKeyChecking: StrictHostKeyChecking;
  hashKnownHosts: boolean;
  batchMode: boolean;
  connectTimeout: number | undefined;
  connectionAttempts: number;
  logLevel: LogLevel;
  preferredAuthentications: readonly string[];
  pubkeyAuthentication: boolean;
  passwordAuthentication: boolean;
  kbdInteractiveAuthentication: boolean;
  numberOfPasswordPrompts: number;
  ciphers: AlgorithmSpec | undefined;
  macs: AlgorithmSpec | undefined;
  kexAlgorithms: AlgorithmSpec | undefined;
  hostKeyAlgorithms: AlgorithmSpec | undefined;
  pubkeyAcceptedAlgorithms: AlgorithmSpec | undefined;
  compression: boolean;
  requestTty: RequestTty;
  sendEnv: readonly string[];
  setEnv: readonly string[];
  /** A single character, or undefined for `none`. */
  escapeChar: string | undefined;
  serverAliveInterval: number;
  serverAliveCountMax: number;
  localForwards: readonly ForwardSpec[];
  remoteForwards: readonly ForwardSpec[];
  dynamicForwards: readonly ForwardSpec[];
  /** yes/no, or an agent socket path or `$VARIABLE` naming one. */
  forwardAgent: boolean | string;
  proxy: Proxy;
  addKeysToAgent: AddKeysToAgent;
  /** An agent socket path, `SSH_AUTH_SOCK`, `$VARIABLE` or `none`; undefined means $SSH_AUTH_SOCK. */
  identityAgent: string | undefined;
  checkHostIp: boolean;
  updateHostKeys: AskYesNo;
  verifyHostKeyDns: AskYesNo;
  rekeyLimit: RekeyLimit;
  controlMaster: ControlMaster;
  controlPath: string | undefined;
  /** false: no; 0: forever; else seconds. */
  controlPersist: false | number;
  exitOnForwardFailure: boolean;
  gatewayPorts: boolean;
  tcpKeepAlive: boolean;
  addressFamily: AddressFamily;
  bindAddress: string | undefined;
  hostKeyAlias: string | undefined;
  remoteCommand: string | undefined;
  /** Pattern list of keywords whose lines are ignored when unknown. */
  ignoreUnknown: string | undefined;
}

export interface ResolvedSshConfig extends Readonly<Omit<SshSettings, 'proxy'>> {
  /** The host as given on the command line. */
  readonly host: string;
  /** True when IdentityFile came from configuration rather than defaults (missing ones then warn). */
  readonly identityFilesFromConfig: boolean;
  readonly proxyCommand: string | undefined;
  readonly proxyJump: string | undefined;
  /** Percent tokens of this connection (%h %p %r %n %u %d %l %L %i %j %k %C), for ProxyCommand and the like. */
  readonly tokens: Readonly<Record<string, string>>;
  /** OpenSSH keywords that were set but that tssh does not implement (ForwardX11, GSSAPI...), as written. */
  readonly unsupported: readonly string[];
}

export const DEFAULT_IDENTITY_FILES: readonly string[] = Object.freeze(
  ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk'].map((n) => `~/.ssh/${n}`),
);

export function sshDefaults(sysconfDir: string): Omit<SshSettings, 'hostName' | 'user'> {
  return {
    port: 22,
    identityFiles: DEFAULT_IDENTITY_FILES,
    certificateFiles: [],
    identitiesOnly: false,
    userKnownHostsFiles: ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'],
    globalKnownHostsFiles: [`${sysconfDir}/ssh_known_hosts`, `${sysconfDir}/ssh_known_hosts2`],
    strictHostKeyChecking: 'ask',
    hashKnownHosts: false,
    batchMode: false,
    connectTimeout: undefined,
    connectionAttempts: 1,
    logLevel: 'INFO',
    preferredAuthentications: ['publickey', 'keyboard-interactive', 'password'],
    pubkeyAuthentication: true,
    passwordAuthentication: true,
    kbdInteractiveAuthentication: true,
    numberOfPasswordPrompts: 3,
    ciphers: undefined,
    macs: undefined,
    kexAlgorithms: undefined,
    hostKeyAlgorithms: undefined,
    pubkeyAcceptedAlgorithms: undefined,
    compression: false,
    requestTty: 'auto',
    sendEnv: [],
    setEnv: [],
    escapeChar: '~',
    serverAliveInterval: 0,
    serverAliveCountMax: 3,
    localForwards: [],
    remoteForwards: [],
    dynamicForwards: [],
    forwardAgent: false,
    proxy: { kind: 'none' },
    addKeysToAgent: { mode: 'no' },
    identityAgent: undefined,
    checkHostIp: false,
    updateHostKeys: 'yes',
    verifyHostKeyDns: 'no',
    rekeyLimit: { bytes: 0, seconds: 0 },
    controlMaster: 'no',
    controlPath: undefined,
    controlPersist: false,
    exitOnForwardFailure: false,
    gatewayPorts: false,
    tcpKeepAlive: true,
    addressFamily: 'any',
    bindAddress: undefined,
    hostKeyAlias: undefined,
    remoteCommand: undefined,
    ignoreUnknown: undefined,
  };
}
