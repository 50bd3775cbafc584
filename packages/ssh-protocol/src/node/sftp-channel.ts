// An SftpServer with the Node file system over an SSH channel (`Subsystem sftp internal-sftp`) or over a pair of
// streams (stdin/stdout, like OpenSSH's sftp-server). Flow control is end to end: while the server is paused the
// peer's window is not replenished (RFC 4254 §5.2), or the input stream is paused; while replies wait for the
// peer's window (sftp-channel-output.ts) the server starts no new requests.
import type { Readable, Writable } from 'node:stream';
import type { Channel } from '../connection/index.js';
import { SftpServer, resolvePath } from '../sftp/index.js';
import type { SftpFileSystem, SftpServerLimits } from '../sftp/index.js';
import type { Logger } from '../wire/index.js';
import { PacketBufferPool } from './packet-buffer-pool.js';
import { SftpChannelOutput } from './sftp-channel-output.js';
import { NodeSftpFileSystem } from './sftp-fs.js';

export interface ServeSftpOptions {
  /** ChrootDirectory: the client sees this directory as "/". */
  root?: string;
  /** The user's home; under a root, a path inside it, and "/" when it does not exist there (as sshd does). */
  home: string;
  log: Logger;
  /** For the session log lines, as OpenSSH's sftp-server writes them. */
  user?: string;
  clientAddress?: string;
  /** Another file system than node:fs (tests). */
  fs?: SftpFileSystem;
  limits?: Partial<SftpServerLimits>;
}

async function prepare(o: ServeSftpOptions): Promise<{ fs: SftpFileSystem; home: string }> {
  const fs = o.fs ?? (await NodeSftpFileSystem.create(o.root === undefined ? {} : { root: o.root }));
  let home = resolvePath('/', o.home);
  if (o.root !== undefined) {
    const ok = await fs.stat(home).then(
      (st) => (st.mode & 0o170000) === 0o040000,
      () => false,
    );
    if (!ok) home = '/';
  }
  return { fs, home };
}

function sessionLog(o: ServeSftpOptions, what: 'opened' | 'closed'): void {
  if (o.user === undefined) return;
  o.log.info(`session ${what} for local user ${o.user}${o.clientAddress ? ` from [${o.clientAddress}]` : ''}`);
}

/**
 * Serves SFTP on a session channel whose `subsystem sftp` request was accepted. Resolves when the session is
 * over; by then exit-status, EOF and CLOSE have been queued on the channel.
 */
export function serveSftp(channel: Channel, o: ServeSftpOptions): Promise<void> {
  channel.autoConsume = false;
  const early: Uint8Array[] = [];
  let server: SftpServer | undefined;
  let owed = 0;
  let eof = false;
  let gone = false;
  const credit = (): void => {
    const n = owed;
    owed = 0;
    if (n > 0) channel.consumed(n);
  };
  const feed = (data: Uint8Array): void => {
    owed += data.length;
    if (server!.receive(data)) credit();
  };

  // Listeners go on now: data that arrives while the file system is being prepared waits here, uncredited.
  channel.on('data', (data) => (server ? feed(data) : (early.push(data), (owed += data.length))));
  channel.on('eof', () => (server ? server.end() : (eof = true)));
  const buffers = new PacketBufferPool();
  const output = new SftpChannelOutput(
    channel,
    () => {
      server?.outputDrained();
      finish?.();
    },
    (bytes) => buffers.release(bytes),
  );
  /** The session's end, held until the last reply has gone into the channel. */
  let finish: (() => void) | undefined;
  channel.on('close', () => {
    gone = true;
    output.discard();
    buffers.clear();
    server?.destroy();
  });
  channel.on('drain', () => output.channelDrained());

  return prepare(o).then(
    async ({ fs, home }) => {
      sessionLog(o, 'opened');
      const s = new SftpServer({
        fs,
        home,
        log: o.log,
        limits: o.limits,
        allocate: (size) => buffers.allocate(size),
        send: (bytes) => output.write(bytes),
        resumed: credit,
        closed: (error) => {
          finish = () => {
            finish = undefined;
            if (!channel.isOpen) return;
            void channel.request({ kind: 'exit-status', status: error ? 1 : 0 }, false).catch(() => {});
            channel.close();
          };
          // A fatal error ends the session at once; a normal end lets the replies already given go first.
          if (error) output.discard();
          if (output.empty) finish();
        },
      });
      server = s;
      owed -= early.reduce((n, d) => n + d.length, 0);
      for (const d of early.splice(0)) feed(d);
      if (gone) s.destroy();
      else if (eof) s.end();
      await s.finished;
      sessionLog(o, 'closed');
    },
    (e: unknown) => {
      o.log.error(`sftp: cannot start the session: ${e instanceof Error ? e.message : String(e)}`);
      if (channel.isOpen) {
        void channel.request({ kind: 'exit-status', status: 1 }, false).catch(() => {});
        channel.close();
      }
    },
  );
}

/** Serves SFTP over a pair of streams, e.g. stdin and stdout (`sftp -D`, a Subsystem command). */
export async function serveSftpStreams(input: Readable, output: Writable, o: ServeSftpOptions): Promise<void> {
  input.pause();
  const { fs, home } = await prepare(o);
  sessionLog(o, 'opened');
  const server = new SftpServer({
    fs,
    home,
    log: o.log,
    limits: o.limits,
    allocate: Buffer.allocUnsafe,
    send: (bytes) => output.write(bytes),
    resumed: () => input.resume(),
    closed: () => output.end(),
  });
  output.on('drain', () => server.outputDrained());
  output.on('error', (e) => server.destroy(e));
  input.on('data', (chunk: Buffer) => {
    if (!server.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) input.pause();
  });
  input.on('end', () => server.end());
  input.on('error', () => server.end());
  input.resume();
  await server.finished;
  sessionLog(o, 'closed');
}
