// A small SSH server for process tests of tssh: ServerEndpoint on a loopback TCP port chosen at run time,
// publickey authentication against a list of keys, and `exec` run as `sh -c COMMAND` with stdin, stdout, stderr
// and the exit status (or exit signal) carried over the channel. `shell` runs a fixed command the same way;
// pty-req and window-change are accepted and recorded, but no pty is made.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { AuthPolicy } from '@tssh/ssh-protocol/auth';
import type { Channel, ChannelRequest, ConnectionHandler, IncomingChannelOpen } from '@tssh/ssh-protocol/connection';
import { ServerEndpoint } from '@tssh/ssh-protocol/endpoint';
import { Ed25519PrivateKey, type PrivateKey, type PublicKey } from '@tssh/ssh-protocol/keys';
import { channelExtendedWritable, channelToDuplex, feedFrom, streamIO } from '@tssh/ssh-protocol/node';
import { testEnv } from './env.js';

export interface MiniServerOptions {
  /** Default: a fresh ed25519 key. */
  hostKey?: PrivateKey;
  /** Keys allowed to log in (any user name). */
  authorizedKeys: readonly PublicKey[];
  /** What `shell` runs (with `sh -c`); default: refuse shell requests. */
  shellCommand?: string;
  /** Signature algorithms accepted for publickey (and sent as server-sig-algs); default ssh-ed25519 only. */
  acceptedAlgorithms?: readonly string[];
}

export interface TerminalSize {
  readonly cols: number;
  readonly rows: number;
}

export interface MiniServer {
  readonly port: number;
  readonly hostKey: PrivateKey;
  /** Commands run so far, in order. */
  readonly commands: string[];
  /** Requests seen on session channels, by kind, in order. */
  readonly requests: string[];
  /** pty-req requests: terminal type and size. */
  readonly ptyRequests: Array<TerminalSize & { readonly term: string }>;
  readonly windowChanges: TerminalSize[];
  /** Resolves once some client has authenticated. */
  readonly loggedIn: Promise<void>;
  close(): Promise<void>;
}

function exitRequest(code: number | null, signal: NodeJS.Signals | null): ChannelRequest {
  if (signal !== null) {
    return { kind: 'exit-signal', signal: signal.replace(/^SIG/, ''), coreDumped: false, message: '', language: '' };
  }
  return { kind: 'exit-status', status: code ?? 255 };
}

/**
 * Runs `command` with the channel as its stdio. Once it has exited and its output is on the channel, the exit
 * status (or signal) goes out, then EOF and CLOSE. The duplex is never ended: ended both ways it would close
 * the channel before the exit status.
 */
function runExec(channel: Channel, command: string, children: Set<ChildProcess>): void {
  const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  const duplex = channelToDuplex(channel);
  duplex.on('error', () => child.kill('SIGKILL'));
  child.stdin.on('error', () => {}); // the command may exit without reading all its input
  duplex.pipe(child.stdin);
  const stderr = channelExtendedWritable(channel);
  child.stdout.pipe(duplex, { end: false });
  child.stderr.pipe(stderr);
  const outputDone = Promise.all([
    new Promise<void>((r) => child.stdout.once('end', () => duplex.write(new Uint8Array(0), () => r()))),
    new Promise((r) => stderr.once('finish', r)),
  ]);
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.once('exit', (c, s) => r([c, s])));
  channel.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGHUP');
  });
  void Promise.all([exited, outputDone]).then(([[code, signal]]) => {
    children.delete(child);
    if (!channel.isOpen) return;
    void channel.request(exitRequest(code, signal), false);
    channel.close();
  });
}

interface ServerState {
  readonly commands: string[];
  readonly requests: string[];
  readonly ptyRequests: Array<TerminalSize & { readonly term: string }>;
  readonly windowChanges: TerminalSize[];
}

function sessionHandler(state: ServerState, shellCommand: string | undefined, children: Set<ChildProcess>): ConnectionHandler {
  return {
    onChannelOpen(open: IncomingChannelOpen) {
      if (open.open.kind !== 'session') return { reject: 1, description: 'only sessions here' };
      const channel = open.accept();
      let started = false;
      channel.onRequest = (req) => {
        state.requests.push(req.kind);
        switch (req.kind) {
          case 'pty-req':
            state.ptyRequests.push({ term: req.term, cols: req.cols, rows: req.rows });
            return !started;
          case 'window-change':
            state.windowChanges.push({ cols: req.cols, rows: req.rows });
            return true;
          case 'exec':
          case 'shell': {
            const command = req.kind === 'exec' ? req.commandText : shellCommand;
            if (started || command === undefined) return false;
            started = true;
            state.commands.push(command);
            runExec(channel, command, children);
            return true;
          }
          default:
            return false;
        }
      };
      return channel;
    },
  };
}

export async function startMiniServer(o: MiniServerOptions): Promise<MiniServer> {
  const env = testEnv();
  const hostKey = o.hostKey ?? new Ed25519PrivateKey(env.random(32), 'mini-server');
  const authorized = o.authorizedKeys.map((k) => Buffer.from(k.blob));
  const policy: AuthPolicy = {
    userValid: () => true,
    methodsFor: () => [['publickey']],
    acceptedAlgorithms: o.acceptedAlgorithms ?? ['ssh-ed25519'],
    checkPublicKey: (_user, key) => authorized.some((b) => b.equals(key.blob)),
  };
  const sockets = new Set<Socket>();
  const children = new Set<ChildProcess>();
  const state: ServerState = { commands: [], requests: [], ptyRequests: [], windowChanges: [] };
  let loggedIn!: () => void;
  const login = new Promise<void>((r) => (loggedIn = r));
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const endpoint = new ServerEndpoint(
      {
        transport: { hostKeys: [hostKey], serverSigAlgs: [...(o.acceptedAlgorithms ?? ['ssh-ed25519'])] },
        policy,
        peer: { address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 },
        onAuthenticated: () => {
          loggedIn();
          return sessionHandler(state, o.shellCommand, children);
        },
      },
      env,
      streamIO(socket),
    );
    feedFrom(socket, endpoint);
    endpoint.start();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hostKey,
    commands: state.commands,
    requests: state.requests,
    ptyRequests: state.ptyRequests,
    windowChanges: state.windowChanges,
    loggedIn: login,
    async close() {
      for (const child of children) child.kill('SIGKILL');
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
