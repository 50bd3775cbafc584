// Our SftpClient wired to our SftpServer in memory. Bytes cross on later turns of the event loop, cut into pieces
// of random sizes (or coalesced), as a channel would deliver them; the server's file system is a MemoryFs.
import { setImmediate as turn } from 'node:timers/promises';
import { SftpClient, SftpServer, type SftpServerLimits } from '@tssh/ssh-protocol/sftp';
import { MemoryFs } from './sftp-memory-fs.js';

export interface ClientPairOptions {
  fs?: MemoryFs;
  home?: string;
  limits?: Partial<SftpServerLimits>;
  /** Cut the byte streams into pieces of 1..maxPiece bytes (default: whole writes as they come). */
  maxPiece?: number;
}

export interface ClientPair {
  client: SftpClient;
  server: SftpServer;
  fs: MemoryFs;
  /** The most requests the server was serving at once. */
  readonly maxServerInFlight: number;
}

/** Delivers writes in order on later turns, optionally re-cut. */
function wire(deliver: (b: Uint8Array) => void, maxPiece: number | undefined): (b: Uint8Array) => void {
  const queue: Uint8Array[] = [];
  let running = false;
  const run = async (): Promise<void> => {
    running = true;
    while (queue.length > 0) {
      await turn();
      const all = queue.splice(0);
      if (maxPiece === undefined) {
        for (const b of all) deliver(b);
        continue;
      }
      const joined = Buffer.concat(all);
      for (let off = 0; off < joined.length; ) {
        const n = 1 + Math.floor(Math.random() * maxPiece);
        deliver(new Uint8Array(joined.subarray(off, off + n)));
        off += n;
      }
    }
    running = false;
  };
  return (b) => {
    queue.push(b.slice());
    if (!running) void run();
  };
}

export async function clientPair(o: ClientPairOptions = {}): Promise<ClientPair> {
  const fs = o.fs ?? new MemoryFs();
  const home = o.home ?? '/home/alice';
  fs.mkdirp(home);
  let maxServerInFlight = 0;
  const toServer = wire((b) => {
    server.receive(b);
    maxServerInFlight = Math.max(maxServerInFlight, server.requestsInFlight);
  }, o.maxPiece);
  const client: SftpClient = new SftpClient({ send: (b) => toServer(b) });
  const toClient = wire((b) => client.receive(b), o.maxPiece);
  const server: SftpServer = new SftpServer({
    fs,
    home,
    limits: o.limits,
    send: (b) => toClient(b),
    closed: (e) => client.end(e),
  });
  await client.init();
  return {
    client,
    server,
    fs,
    get maxServerInFlight() {
      return maxServerInFlight;
    },
  };
}
