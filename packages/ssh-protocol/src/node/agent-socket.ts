// An agent connection over its Unix-domain socket ($SSH_AUTH_SOCK, IdentityAgent). The socket never holds the
// process open by itself: it is unreferenced, and closed by the owner once authentication is over.
import { connect, type Socket } from 'node:net';
import { AgentClient } from '../agent/index.js';

export interface AgentConnection {
  readonly client: AgentClient;
  close(): void;
}

/** Connects to the agent listening at `path`; rejects with the socket error (ENOENT, ECONNREFUSED...). */
export function connectAgent(path: string): Promise<AgentConnection> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(path);
    const client = new AgentClient((bytes) => void socket.write(bytes));
    const onConnectError = (e: Error): void => reject(e);
    socket.once('error', onConnectError);
    socket.once('connect', () => {
      socket.off('error', onConnectError);
      socket.unref();
      socket.on('data', (chunk: Buffer) => client.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      socket.on('error', (e) => client.end(e));
      socket.on('close', () => client.end());
      resolve({
        client,
        close: () => {
          client.end();
          socket.destroy();
        },
      });
    });
  });
}
