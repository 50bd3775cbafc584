// A small SSH server for SFTP interop tests: our ServerEndpoint on a loopback port, one user key (made by
// OpenSSH's ssh-keygen), and only `subsystem sftp`, served by serveSftp() with the Node file system.
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthPolicy } from '@tssh/ssh-protocol/auth';
import { ChannelOpenFailure, type Logger } from '@tssh/ssh-protocol/wire';
import type { Channel, IncomingChannelOpen } from '@tssh/ssh-protocol/connection';
import { ServerEndpoint } from '@tssh/ssh-protocol/endpoint';
import { Ed25519PrivateKey, parsePublicKeyLine } from '@tssh/ssh-protocol/keys';
import { feedFrom, serveSftp, streamIO } from '@tssh/ssh-protocol/node';
import { testEnv } from './env.js';
import { opensshKey, type KeyPair } from './servers.js';
import { tempDir } from './processes.js';

export interface SftpEndpoint {
  port: number;
  dir: string;
  userKey: KeyPair;
  /** Lines the SFTP sessions logged. */
  lines: string[];
  stop(): Promise<void>;
}

function lineLogger(lines: string[]): Logger {
  const add = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { error: add('error'), warn: add('warn'), info: add('info'), verbose: add('verbose'), debug: add('debug') };
}

export async function startSftpEndpoint(o: { home: string; root?: string }): Promise<SftpEndpoint> {
  const tmp = tempDir('tssh-sftp-ep-');
  const userKey = await opensshKey(tmp.path, 'id_ed25519');
  const allowed = parsePublicKeyLine(readFileSync(userKey.publicKey, 'utf8').trim()).key.blob;
  const env = testEnv();
  const hostKey = new Ed25519PrivateKey(env.random(32), 'sftp-test-host');
  const lines: string[] = [];
  const log = lineLogger(lines);
  const policy: AuthPolicy = {
    userValid: () => true,
    methodsFor: () => [['publickey']],
    acceptedAlgorithms: ['ssh-ed25519'],
    checkPublicKey: (_user, key) => Buffer.compare(key.blob, allowed) === 0,
  };
  const session = (open: IncomingChannelOpen): Channel | { reject: number } => {
    if (open.open.kind !== 'session') return { reject: ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED };
    const channel = open.accept();
    let started = false;
    channel.onRequest = (req) => {
      if (req.kind !== 'subsystem' || req.name !== 'sftp' || started) return false;
      started = true;
      void serveSftp(channel, { home: o.home, log, user: 'sftp-test', ...(o.root === undefined ? {} : { root: o.root }) });
      return true;
    };
    return channel;
  };
  const server: Server = createServer((socket) => {
    const endpoint = new ServerEndpoint(
      {
        transport: { hostKeys: [hostKey], serverSigAlgs: ['ssh-ed25519'] },
        policy,
        peer: { address: socket.remoteAddress ?? '127.0.0.1', port: socket.remotePort ?? 0 },
        onAuthenticated: () => ({ onChannelOpen: session }),
      },
      env,
      streamIO(socket),
    );
    socket.on('error', () => {});
    feedFrom(socket, endpoint);
    endpoint.start();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    dir: tmp.path,
    userKey,
    lines,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => {
          tmp.cleanup();
          resolve();
        });
      }),
  };
}

/** OpenSSH sftp options for the endpoint, with no trace left in the real ~/.ssh. */
export function sftpArgs(ep: SftpEndpoint, extra: string[] = []): string[] {
  return [
    '-F', '/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=no',
    '-o', `UserKnownHostsFile=${join(ep.dir, 'known_hosts')}`,
    '-o', 'LogLevel=ERROR',
    '-i', ep.userKey.privateKey,
    '-P', String(ep.port),
    ...extra,
    'tester@127.0.0.1',
  ];
}
