// One SSH connection over a TCP socket: the client endpoint attached to the socket, the host key checked,
// the user authenticated. Failures become ssh's messages in a FatalError.
import type { Socket } from 'node:net';
import type { ClientCredentials } from '@tssh/ssh-protocol/auth';
import type { Connection } from '@tssh/ssh-protocol/connection';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { ClientEndpoint } from '@tssh/ssh-protocol/endpoint';
import { streamIO, type ReusedReadBuffer } from '@tssh/ssh-protocol/node';
import type { AlgorithmPrefs } from '@tssh/ssh-protocol/transport';
import type { Env, SshError } from '@tssh/ssh-protocol/wire';
import type { PublicKey } from '@tssh/ssh-protocol/keys';
import type { ClientLogger } from './client-log.js';
import { describeFailure, type FailureContext } from './connection-failure.js';
import { FatalError } from './fatal-error.js';

export interface ConnectionOptions {
  readonly socket: Socket;
  /** Where the socket's reads go: it reads into one reused buffer (connectTcp). */
  readonly reads: ReusedReadBuffer;
  readonly log: ClientLogger;
  readonly user: string;
  /** HostName, for messages. */
  readonly host: string;
  readonly port: number;
  readonly algorithms: Partial<AlgorithmPrefs>;
  /** RekeyLimit: bytes (0 or undefined: by cipher) and milliseconds (0 or undefined: no time limit). */
  readonly rekeyLimitBytes?: number;
  readonly rekeyIntervalMs?: number;
  readonly pubkeyAcceptedAlgorithms: readonly string[];
  readonly preferredAuthentications: readonly string[];
  readonly numberOfPasswordPrompts: number;
  readonly credentials: ClientCredentials;
  /** ConnectTimeout also bounds the wait for the server's version line (seconds; undefined: no bound). */
  readonly bannerTimeout: number | undefined;
  verifyHostKey(key: PublicKey): Promise<boolean>;
}

export interface ClientSession {
  readonly endpoint: ClientEndpoint;
  readonly connection: Connection;
  /** Resolves when the transport is closed, with the error that closed it (undefined: closed by us). */
  readonly closed: Promise<SshError | undefined>;
  /** ssh's words for an error that ended the connection. */
  describe(error: unknown): string[];
}

/** RFC 4253 §4.2: the identification line, possibly after other lines. */
const VERSION_LINE = /(?:^|\n)(SSH-[^\r\n]*)\r?\n/;
/** Enough for a version line (255 bytes at most) split across chunks. */
const MAX_HEAD = 1024;

/** `SSH-2.0-OpenSSH_9.6 comment` -> `2.0`, `OpenSSH_9.6`. */
function versionParts(line: string): { protocol: string; software: string } {
  const m = /^SSH-([^-]*)-(\S*)/.exec(line);
  return m ? { protocol: m[1], software: m[2] } : { protocol: '?', software: line };
}

export async function openConnection(opts: ConnectionOptions): Promise<ClientSession> {
  const { socket, log } = opts;
  const env: Env = { random: systemRandom, now: () => Date.now(), log };
  let socketError: NodeJS.ErrnoException | undefined;
  let resolveClosed!: (e: SshError | undefined) => void;
  const closed = new Promise<SshError | undefined>((r) => (resolveClosed = r));
  const ctx = (): FailureContext => ({
    address: socket.remoteAddress ?? opts.host,
    port: opts.port,
    user: opts.user,
    host: opts.host,
    socketError,
  });

  const endpoint = new ClientEndpoint(
    {
      transport: {
        algorithms: opts.algorithms,
        rekeyLimitBytes: opts.rekeyLimitBytes,
        rekeyIntervalMs: opts.rekeyIntervalMs,
        verifyHostKey: (key) => opts.verifyHostKey(key),
      },
      auth: {
        username: opts.user,
        host: opts.host,
        credentials: opts.credentials,
        preferredAuthentications: opts.preferredAuthentications,
        numberOfPasswordPrompts: opts.numberOfPasswordPrompts,
        pubkeyAcceptedAlgorithms: opts.pubkeyAcceptedAlgorithms,
      },
      onPreambleLine: (line) => log.debug(`kex_exchange_identification: banner line: ${line}`),
      onDebugMessage: (message, always) => {
        if (always) log.info(message);
        else log.debug(`Remote: ${message}`);
      },
    },
    env,
    streamIO(socket, (e) => resolveClosed(e)),
  );

  // The server's version line is looked for here as well as in the transport, only so that it is logged (and
  // the banner timer stopped) before the lines that the rest of the same chunk makes the transport log.
  let versionLogged = false;
  let head = '';
  let bannerTimer: NodeJS.Timeout | undefined;
  let timedOut = false;
  if (opts.bannerTimeout) {
    bannerTimer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, opts.bannerTimeout * 1000);
  }
  const noteVersion = (chunk: Uint8Array): void => {
    head = (head + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')).slice(-MAX_HEAD);
    const line = VERSION_LINE.exec(head)?.[1];
    if (line === undefined) return;
    versionLogged = true;
    if (bannerTimer) clearTimeout(bannerTimer);
    const v = versionParts(line);
    log.debug(`Remote protocol version ${v.protocol}, remote software version ${v.software}`);
    log.debug(`Authenticating to ${opts.host}:${opts.port} as '${opts.user}'`);
  };
  opts.reads.attach((chunk, lent) => {
    if (!versionLogged) noteVersion(chunk);
    if (lent) endpoint.receiveBorrowed(chunk);
    else endpoint.receive(chunk);
  });
  socket.on('error', (e: NodeJS.ErrnoException) => {
    socketError ??= e;
    endpoint.end();
  });
  socket.on('end', () => endpoint.end());
  socket.on('close', () => {
    if (bannerTimer) clearTimeout(bannerTimer);
    endpoint.end();
  });

  log.debug(`Local version string ${endpoint.transport.localVersion}`);
  endpoint.start();
  try {
    const { connection, auth } = await endpoint.ready;
    log.verbose(`Authenticated to ${opts.host} ([${socket.remoteAddress}]:${opts.port}) using "${auth.method}".`);
    return { endpoint, connection, closed, describe: (e) => describeFailure(e, ctx()) };
  } catch (e) {
    if (bannerTimer) clearTimeout(bannerTimer);
    socket.destroy();
    if (timedOut && !versionLogged) throw new FatalError('Connection timed out during banner exchange');
    throw new FatalError(describeFailure(e, ctx()).join('\n'));
  }
}
