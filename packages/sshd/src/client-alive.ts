// ClientAliveInterval / ClientAliveCountMax (sshd_config(5)): once the user is in, an interval that passes with
// nothing from the client sends a keepalive@openssh.com request that wants a reply; after CountMax such requests
// in a row go unanswered, the client is taken for gone and the connection is closed.
import type { Connection } from '@tssh/ssh-protocol/connection';
import type { Logger } from '@tssh/ssh-protocol/wire';

export interface ClientAliveOptions {
  /** Seconds; 0 turns the check off. */
  interval: number;
  countMax: number;
  connection: Connection;
  log: Logger;
  /** `user alice 10.0.0.1 port 4711`, as sshd names the remote in the timeout line. */
  remote: string;
  /** Closes the connection. */
  close(): void;
}

export interface ClientAliveCheck {
  /** Bytes arrived from the client: anything received counts as a sign of life. */
  heard(): void;
  stop(): void;
}

export function startClientAlive(o: ClientAliveOptions): ClientAliveCheck {
  if (o.interval <= 0) return { heard() {}, stop() {} };
  let heard = false;
  let unanswered = 0;
  const timer = setInterval(() => {
    if (heard) {
      heard = false;
      return;
    }
    if (++unanswered > o.countMax) {
      o.log.info(`Timeout, client not responding from ${o.remote}`);
      stop();
      o.close();
      return;
    }
    o.log.debug(`client_alive_check: sending keepalive@openssh.com (${unanswered} of ${o.countMax})`);
    o.connection.globalRequest({ kind: 'unknown', name: 'keepalive@openssh.com', data: new Uint8Array(0) }, true).catch(() => {});
  }, o.interval * 1000);
  timer.unref();
  const stop = (): void => clearInterval(timer);
  return {
    heard() {
      heard = true;
      unanswered = 0;
    },
    stop,
  };
}
