// The session channel (RFC 4254 §6): an optional pty (with the local terminal's modes), environment variables,
// then `exec` or `shell`; stdin, stdout and stderr streamed with backpressure both ways, keys passing through
// the escape sequences when there is a pty. The result is the remote exit status, or undefined when there is
// none (the remote command was killed by a signal, the session was cut: ssh then exits 255).
import type { Channel, Connection } from '@tssh/ssh-protocol/connection';
import { execRequest } from '@tssh/ssh-protocol/connection';
import { channelToDuplex } from '@tssh/ssh-protocol/node';
import type { Readable } from 'node:stream';
import type { ClientLogger } from './client-log.js';
import { ptyRequest, windowChangeRequest, type LocalTerminal } from './local-terminal.js';
import { environmentRequests } from './session-env.js';
import { EscapeInput, type SessionControls } from './session-input.js';

export interface SessionOptions {
  /** The remote command; undefined asks for a shell. */
  readonly command: string | undefined;
  /** Ask the server for a pseudo-terminal. */
  readonly pty: boolean;
  /** -n: stdin is /dev/null. */
  readonly stdinNull: boolean;
  /** For `Connection to HOST closed.` after a pty session. */
  readonly host: string;
  readonly log: ClientLogger;
  readonly terminal: LocalTerminal;
  /** SendEnv patterns and SetEnv NAME=VALUE items. */
  readonly sendEnv: readonly string[];
  readonly setEnv: readonly string[];
  /** EscapeChar; undefined for none. Escapes work only in a pty session, as in ssh. */
  readonly escapeChar: string | undefined;
  readonly controls: SessionControls;
  /** Text for the user on stderr. */
  tell(text: string): void;
}

export async function runSession(connection: Connection, opts: SessionOptions): Promise<number | undefined> {
  const { log } = opts;
  let channel: Channel;
  try {
    channel = await connection.openSession();
  } catch (e) {
    log.error(`channel 0: open failed: ${(e as Error).message}`);
    return undefined;
  }
  const id = channel.localId;
  channel.onRequest = (req) => {
    log.debug(`client_input_channel_req: channel ${id} rtype ${req.kind === 'unknown' ? req.name : req.kind}`);
    return req.kind === 'exit-status' || req.kind === 'exit-signal';
  };
  // Resolves with the error when the connection died under the channel.
  const closed = new Promise<Error | undefined>((resolve) => channel.on('close', (e) => resolve(e)));

  let pty = false;
  if (opts.pty) {
    pty = await channel.request(ptyRequest(), true).catch(() => false);
    if (!pty) log.error(`PTY allocation request failed on channel ${id}`);
  }
  for (const req of environmentRequests(opts.sendEnv, opts.setEnv, process.env, log)) {
    void channel.request(req, false).catch(() => {});
  }
  if (opts.command === undefined) log.debug('Requesting shell.');
  else log.debug(`Sending command: ${opts.command}`);
  const started = channel
    .request(opts.command === undefined ? { kind: 'shell' } : execRequest(opts.command), true)
    .catch(() => false);

  if (pty) opts.terminal.enterRawMode();
  let disconnected = false;
  const controls: SessionControls = {
    disconnect: () => {
      disconnected = true;
      opts.controls.disconnect();
    },
    rekey: () => opts.controls.rekey(),
  };
  const streams = connectStreams(channel, { ...opts, controls }, pty);
  if (!(await started)) {
    log.error(`${opts.command === undefined ? 'shell' : 'exec'} request failed on channel ${id}`);
    channel.close();
  }
  const lost = await closed;
  opts.terminal.restore();
  await streams.done();

  if (pty && (!lost || disconnected)) log.info(`Connection to ${opts.host} closed.`);
  const signal = channel.exitSignal;
  if (signal && channel.exitStatus === undefined) {
    // ssh says nothing and exits 255; tssh says why, and still exits 255 (see --help).
    log.info(`Remote command killed by signal ${signal.signal}${signal.coreDumped ? ' (core dumped)' : ''}`);
  }
  return channel.exitStatus;
}

interface Streams {
  /** Resolves once everything received is written out locally; stops reading stdin. */
  done(): Promise<void>;
}

function connectStreams(channel: Channel, opts: SessionOptions, pty: boolean): Streams {
  const duplex = channelToDuplex(channel);
  duplex.on('error', (e) => opts.log.debug(`channel ${channel.localId}: ${e.message}`));
  // A local write error (EPIPE: the reader went away) ends the session, as the remote command would otherwise
  // write into the void forever.
  const onLocalError = (e: Error): void => {
    opts.log.debug(`channel ${channel.localId}: local write failed: ${e.message}`);
    channel.close();
  };
  const outDone = pipeOut(duplex, process.stdout, onLocalError);
  const errDone = pipeOut(duplex.stderr, process.stderr, onLocalError);

  const resize = (): void => void channel.request(windowChangeRequest(), false).catch(() => {});
  const stdin = process.stdin;
  let input: Readable | undefined;
  let escapes: EscapeInput | undefined;
  const onStdinError = (e: Error): void => {
    opts.log.debug(`read from stdin: ${e.message}`);
    sendEof();
  };
  // EOF goes out on the channel itself, never by ending the duplex: a duplex ended both ways closes the channel,
  // and the server's exit-status usually comes after its EOF (RFC 4254 §6.10), so the channel must stay open
  // until the server closes it.
  const sendEof = (): void => {
    if (channel.isOpen) duplex.write(new Uint8Array(0), () => channel.eof());
  };
  if (opts.stdinNull) {
    channel.eof();
  } else {
    if (pty && opts.escapeChar !== undefined) escapes = escapedInput(stdin, channel, opts, resize);
    input = escapes ?? stdin;
    stdin.on('error', onStdinError);
    input.once('end', sendEof);
    input.pipe(duplex, { end: false });
  }

  // SIGWINCH: Node refreshes the terminal streams' sizes in its own handler, which runs first.
  if (pty) process.on('SIGWINCH', resize);

  return {
    async done() {
      process.off('SIGWINCH', resize);
      if (input) {
        input.unpipe(duplex);
        input.off('end', sendEof);
        if (escapes) stdin.unpipe(escapes);
        stdin.off('error', onStdinError);
        stdin.pause();
        // A terminal or pipe kept open would hold the process; nothing more is read from it.
        stdin.destroy();
      }
      await Promise.all([outDone, errDone]);
    },
  };
}

function escapedInput(stdin: Readable, channel: Channel, opts: SessionOptions, resize: () => void): EscapeInput {
  const escapes = new EscapeInput({
    escapeChar: opts.escapeChar!,
    channel,
    terminal: opts.terminal,
    log: opts.log,
    controls: opts.controls,
    resized: resize,
    tell: opts.tell,
  });
  stdin.pipe(escapes);
  return escapes;
}

/** Copies `from` to a local stream without ending it; after a local write error the rest is dropped. */
function pipeOut(from: Readable, to: NodeJS.WriteStream, onError: (e: Error) => void): Promise<void> {
  return new Promise((resolve) => {
    const failed = (e: Error): void => {
      from.unpipe(to);
      from.resume();
      onError(e);
    };
    to.on('error', failed);
    from.pipe(to, { end: false });
    const finish = (): void => {
      to.off('error', failed);
      if (to.destroyed || to.writableEnded) return resolve();
      to.write('', () => resolve());
    };
    from.once('end', finish);
    from.once('close', finish);
  });
}
