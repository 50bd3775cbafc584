import type { PrivateKey, PublicKey } from '../keys/index.js';
import type { SshError } from '../wire/index.js';
import type { AlgorithmPrefs } from './algorithms.js';

export interface TransportOptions {
  role: 'client' | 'server';
  algorithms?: Partial<AlgorithmPrefs>;
  softwareVersion?: string;
  /** Server: host keys to prove our identity with. */
  hostKeys?: readonly PrivateKey[];
  /** Server: signature algorithms announced in EXT_INFO server-sig-algs (RFC 8308 §3.1). */
  serverSigAlgs?: readonly string[];
  /** Client: accept or refuse the server's host key (known_hosts). Called on the first key exchange only. */
  verifyHostKey?: (key: PublicKey) => boolean | Promise<boolean>;
  /** Rekey after this many bytes in either direction (default, or 0: by cipher, as OpenSSH). */
  rekeyLimitBytes?: number;
  /** Rekey once keys are this old, checked as packets pass (0 or undefined: no time limit). */
  rekeyIntervalMs?: number;
}

export interface TransportEvents {
  /** Bytes for the peer, in order. */
  output(bytes: Uint8Array): void;
  /** A payload for the layers above (message numbers 5, 6 and 50 up); may be async: input waits for it. */
  payload(payload: Uint8Array, seq: number): void | Promise<void>;
  /** First key exchange finished both ways. */
  ready?(): void;
  extInfo?(ext: Map<string, Uint8Array>): void;
  /** Lines the server sent before its identification line (client only). */
  banner?(line: string): void;
  debugMessage?(message: string, alwaysDisplay: boolean): void;
  /** The connection is over; `error` tells why (undefined: closed by us, cleanly). Output is complete. */
  closed(error?: SshError): void;
}
