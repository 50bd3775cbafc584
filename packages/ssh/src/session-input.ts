// The keys of a pty session on their way to the server: escape sequences (escape-sequences.ts) are taken out
// and acted upon, everything else passes through with the stream's backpressure.
import { Transform, type TransformCallback } from 'node:stream';
import type { Channel } from '@tssh/ssh-protocol/connection';
import type { ClientLogger, ClientLogLevel } from './client-log.js';
import { EscapeFilter, type EscapeCommand } from './escape-sequences.js';
import type { LocalTerminal } from './local-terminal.js';

/** What the escapes reach beyond the channel. */
export interface SessionControls {
  /** `~.`: end the connection. */
  disconnect(): void;
  /** `~R`: a new key exchange. */
  rekey(): void;
}

export interface EscapeInputOptions {
  readonly escapeChar: string;
  readonly channel: Channel;
  readonly terminal: LocalTerminal;
  readonly log: ClientLogger;
  readonly controls: SessionControls;
  /** The window size may have changed while suspended. */
  readonly resized: () => void;
  /** Text for the user on stderr. */
  tell(text: string): void;
}

const LEVELS: readonly ClientLogLevel[] = ['QUIET', 'FATAL', 'ERROR', 'INFO', 'VERBOSE', 'DEBUG1', 'DEBUG2', 'DEBUG3'];

/** log.c's log_level_name: DEBUG1 is called DEBUG. */
function levelName(level: ClientLogLevel): string {
  return level === 'DEBUG1' ? 'DEBUG' : level;
}

export class EscapeInput extends Transform {
  private readonly escapes: EscapeFilter;
  private stopped = false;

  constructor(private readonly opts: EscapeInputOptions) {
    super();
    this.escapes = new EscapeFilter(opts.escapeChar);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.stopped) return done();
    for (const action of this.escapes.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
      if (action.kind === 'data') this.push(action.bytes);
      else this.run(action.command);
      if (this.stopped) break;
    }
    done();
  }

  private run(command: EscapeCommand): void {
    const { opts } = this;
    switch (command) {
      case 'disconnect':
        this.stopped = true;
        opts.log.debug('Escape: disconnect');
        opts.controls.disconnect();
        return;
      case 'break':
        void opts.channel.request({ kind: 'break', lengthMs: 1000 }, false).catch(() => {});
        return;
      case 'rekey':
        opts.controls.rekey();
        return;
      case 'less-verbose':
      case 'more-verbose': {
        const i = LEVELS.indexOf(opts.log.level);
        opts.log.setLevel(LEVELS[command === 'less-verbose' ? Math.max(0, i - 1) : Math.min(LEVELS.length - 1, i + 1)]);
        opts.tell(this.escapes.echo(command, levelName(opts.log.level)));
        return;
      }
      case 'suspend':
        opts.tell(this.escapes.echo('suspend'));
        opts.terminal.suspend();
        opts.resized();
        return;
      case 'help':
        opts.tell(this.escapes.help());
        return;
    }
  }
}
