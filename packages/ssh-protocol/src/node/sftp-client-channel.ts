// An SftpClient on a session channel: `subsystem sftp` (RFC 4254 §6.5), then INIT/VERSION. The channel's data
// feeds the client, its 'drain' lets a blocked transfer go on, and its EOF or CLOSE ends the SFTP session.
import type { Channel } from '../connection/index.js';
import { SftpClient } from '../sftp/index.js';
import type { SftpClientOptions } from '../sftp/index.js';
import type { Logger } from '../wire/index.js';

export interface SftpChannelOptions {
  log?: Logger;
  /** Largest packet accepted from the server (SftpClientOptions.maxPacketLength). */
  maxPacketLength?: number;
}

/** The server refused `subsystem sftp` (sftp: "subsystem request failed on channel N"). */
export class SubsystemRefusedError extends Error {
  override name = 'SubsystemRefusedError';
  constructor(readonly channelId: number) {
    super(`subsystem request failed on channel ${channelId}`);
  }
}

/** Wires `client` to `channel` (already running the sftp subsystem). */
export function attachSftpClient(channel: Channel, client: SftpClient): void {
  channel.on('data', (data) => client.receive(data));
  channel.on('drain', () => client.outputDrained());
  channel.on('eof', () => client.end());
  channel.on('close', (error) => client.end(error));
}

/** Asks for the sftp subsystem on a fresh session channel and initialises the client; resolves once VERSION came. */
export async function startSftpOnChannel(channel: Channel, o: SftpChannelOptions = {}): Promise<SftpClient> {
  const ok = await channel.request({ kind: 'subsystem', name: 'sftp' }, true).catch(() => false);
  if (!ok) {
    channel.close();
    throw new SubsystemRefusedError(channel.localId);
  }
  // The client hands its packets over: what waits for the window waits as it is, uncopied, and the channel says
  // when it has let go of a packet whose memory the client would use again (an upload's WRITE packets).
  const opts: SftpClientOptions = { send: (bytes, released) => channel.write(bytes, true, released), log: o.log };
  if (o.maxPacketLength !== undefined) opts.maxPacketLength = o.maxPacketLength;
  const client = new SftpClient(opts);
  attachSftpClient(channel, client);
  await client.init();
  return client;
}
