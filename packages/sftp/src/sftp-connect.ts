// An SFTP session over a tssh connection: tssh's configuration, known_hosts checking, identities and prompts
// (its own modules), then a session channel with `subsystem sftp`, VERSION, and the transfer sizes from
// limits@openssh.com.
import type { ClientSession } from '@tssh/ssh/dist/client-connection.js';
import { clientSettings, connectClient, type ConnectContext } from '@tssh/ssh/dist/client-run.js';
import type { TsshArgs } from '@tssh/ssh/dist/command-line.js';
import { FatalError } from '@tssh/ssh/dist/fatal-error.js';
import type { Channel } from '@tssh/ssh-protocol/connection';
import { SubsystemRefusedError, startSftpOnChannel } from '@tssh/ssh-protocol/node';
import { transferTuning, type SftpClient, type TransferTuning, type TuningWishes } from '@tssh/ssh-protocol/sftp';

export interface SftpConnection {
  readonly session: ClientSession;
  readonly client: SftpClient;
  readonly tuning: TransferTuning;
  /** HostName, for messages. */
  readonly host: string;
  /** Ends the SFTP channel, then the connection. */
  close(): Promise<void>;
}

/** How long a closing channel waits for the server's CLOSE before the connection is dropped anyway. */
const CLOSE_WAIT_MS = 2000;

function channelClosed(channel: Channel): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CLOSE_WAIT_MS);
    timer.unref();
    channel.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function connectSftp(args: TsshArgs, ctx: ConnectContext, wishes: TuningWishes): Promise<SftpConnection> {
  const { log } = ctx;
  const settings = clientSettings(args, ctx);
  const session = await connectClient(settings, ctx);
  const host = settings.config.hostName;
  let channel: Channel;
  try {
    channel = await session.connection.openSession();
  } catch (e) {
    session.endpoint.close();
    throw new FatalError(`channel 0: open failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const done = channelClosed(channel);
  log.debug(`Sending subsystem: sftp`);
  let client: SftpClient;
  try {
    client = await startSftpOnChannel(channel, { log });
  } catch (e) {
    session.endpoint.close();
    if (e instanceof SubsystemRefusedError) throw new FatalError(`${e.message}\nConnection closed`);
    throw new FatalError('Connection closed');
  }
  const limits = client.supports('limits@openssh.com') ? await client.limits() : undefined;
  const tuning = transferTuning(limits, wishes);
  log.debug(`Using ${tuning.requests} requests of ${tuning.readLength} bytes to read and ${tuning.writeLength} to write`);
  return {
    session,
    client,
    tuning,
    host,
    async close() {
      client.end();
      channel.close();
      await done;
      session.endpoint.close();
    },
  };
}
