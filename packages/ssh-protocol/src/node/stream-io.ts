import type { Readable, Writable } from 'node:stream';
import type { EndpointIO } from '../endpoint/index.js';
import type { SshError } from '../wire/index.js';

/** Anything that takes bytes from the peer: a ClientEndpoint or a ServerEndpoint. */
export interface ByteSink {
  receive(chunk: Uint8Array): void;
  end(): void;
}

/**
 * EndpointIO over a writable stream. Each flight of packets produced in one turn of the event loop goes out
 * as one write (cork until the next tick), so Nagle never splits a flight and syscalls stay few.
 */
export function streamIO(out: Writable, onClosed?: (error?: SshError) => void): EndpointIO {
  let corked = false;
  return {
    output(bytes) {
      if (out.destroyed || out.writableEnded) return;
      if (!corked) {
        corked = true;
        out.cork();
        process.nextTick(() => {
          corked = false;
          out.uncork();
        });
      }
      out.write(bytes);
    },
    closed(error) {
      onClosed?.(error);
      if (!out.destroyed && !out.writableEnded) {
        if (corked) {
          corked = false;
          out.uncork();
        }
        out.end();
      }
    },
  };
}

/** Feed a readable stream into an endpoint; its end (or an error) ends the endpoint. */
export function feedFrom(input: Readable, sink: ByteSink): void {
  input.on('data', (chunk: Buffer) => sink.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  input.on('end', () => sink.end());
  input.on('error', () => sink.end());
  input.on('close', () => sink.end());
}
