// Adapters between a sans-IO Channel and Node streams. Flow control is end to end: a write waits for the
// channel's 'drain', and received bytes go back to the peer's window (RFC 4254 §5.2) only as the reader takes them.
import { Duplex, Readable, Writable } from 'node:stream';
import type { DuplexOptions } from 'node:stream';
import type { Channel } from '../connection/index.js';
import { EXTENDED_DATA_STDERR } from '../wire/index.js';

export interface ChannelStreamOptions {
  /** Bytes a reader may leave unread before the window stops being replenished (Node's readableHighWaterMark). */
  readableHighWaterMark?: number;
  writableHighWaterMark?: number;
}

/**
 * Feeds a Readable from a channel, crediting the channel's window only for what the Readable's buffer accepts:
 * push() false means the buffer is full, so the credit waits for the reader's next _read().
 */
class ReadCredit {
  private owed = 0;
  private ended = false;

  constructor(
    private readonly channel: Channel,
    private readonly stream: Readable,
  ) {}

  deliver(data: Uint8Array): void {
    if (this.ended || this.stream.destroyed) return this.channel.consumed(data.length);
    if (this.stream.push(asBuffer(data))) this.channel.consumed(data.length);
    else this.owed += data.length;
  }

  /** Called from the Readable's _read(). */
  read(): void {
    const n = this.owed;
    this.owed = 0;
    if (n > 0) this.channel.consumed(n);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stream.push(null);
  }
}

class ExtendedReadable extends Readable {
  readonly credit: ReadCredit;

  constructor(channel: Channel, highWaterMark: number | undefined) {
    super(highWaterMark === undefined ? {} : { highWaterMark });
    this.credit = new ReadCredit(channel, this);
  }

  override _read(): void {
    this.credit.read();
  }
}

/** Writes to a channel with backpressure: the callback waits for 'drain' (or 'close') when write() says so. */
function writeToChannel(channel: Channel, write: () => boolean, callback: (error?: Error | null) => void): void {
  if (!channel.isOpen || write()) return callback();
  const done = (): void => {
    channel.off('drain', done);
    channel.off('close', done);
    callback();
  };
  channel.on('drain', done);
  channel.on('close', done);
}

/**
 * A Duplex over a channel: writes are CHANNEL_DATA, end() is EOF, reads are the peer's CHANNEL_DATA, `stderr`
 * carries EXTENDED_DATA_STDERR. When both directions have ended the channel is closed.
 */
export class ChannelStream extends Duplex {
  readonly stderr: Readable;
  private readonly credit: ReadCredit;

  constructor(
    readonly channel: Channel,
    options: ChannelStreamOptions = {},
  ) {
    const duplexOptions: DuplexOptions = { allowHalfOpen: true };
    if (options.readableHighWaterMark !== undefined) duplexOptions.readableHighWaterMark = options.readableHighWaterMark;
    if (options.writableHighWaterMark !== undefined) duplexOptions.writableHighWaterMark = options.writableHighWaterMark;
    super(duplexOptions);
    const stderr = new ExtendedReadable(channel, options.readableHighWaterMark);
    this.stderr = stderr;
    this.credit = new ReadCredit(channel, this);
    channel.autoConsume = false;
    channel.on('data', (data) => this.credit.deliver(data));
    channel.on('extended-data', (type, data) => {
      if (type === EXTENDED_DATA_STDERR) stderr.credit.deliver(data);
      else channel.consumed(data.length);
    });
    channel.on('eof', () => {
      this.credit.end();
      stderr.credit.end();
    });
    channel.on('close', (error) => {
      this.credit.end();
      stderr.credit.end();
      if (error) this.destroy(error);
      else if (!this.writableEnded) this.end();
    });
  }

  override _read(): void {
    this.credit.read();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // A stream's chunk is the stream's to keep (its writer may not change it after write()): handed over uncopied.
    writeToChannel(this.channel, () => this.channel.write(chunk, true), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.channel.eof();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A clean destroy lets queued data go first; an error drops it (RFC 4254 §5.3 CLOSE either way).
    this.channel.close(error !== null);
    if (error) this.stderr.destroy();
    callback(error);
  }
}

export function channelToDuplex(channel: Channel, options?: ChannelStreamOptions): ChannelStream {
  return new ChannelStream(channel, options);
}

/** A Writable sending extended data (stderr by default) on a channel, e.g. a child process's stderr. */
export function channelExtendedWritable(channel: Channel, dataType: number = EXTENDED_DATA_STDERR): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writeToChannel(channel, () => channel.writeExtended(dataType, chunk, true), callback);
    },
  });
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
