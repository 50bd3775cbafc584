// Environment variables for the session (RFC 4254 §6.4 `env`), as ssh sends them: first the variables of our
// own environment whose names match a SendEnv pattern, in the environment's order, then every SetEnv value.
// The server decides what it accepts (sshd's AcceptEnv); nothing waits for its answer.
import type { ChannelRequest } from '@tssh/ssh-protocol/connection';
import { matchPattern } from '@tssh/ssh-protocol/config';
import type { ClientLogger } from './client-log.js';

export function environmentRequests(
  sendEnv: readonly string[],
  setEnv: readonly string[],
  env: NodeJS.ProcessEnv,
  log: ClientLogger,
): ChannelRequest[] {
  const out: ChannelRequest[] = [];
  if (sendEnv.length > 0) {
    log.debug('Sending environment.');
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined || !sendEnv.some((p) => matchPattern(name, p))) continue;
      log.debug(`Sending env ${name} = ${value}`);
      out.push({ kind: 'env', name, value });
    }
  }
  for (const item of setEnv) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const name = item.slice(0, eq);
    const value = item.slice(eq + 1);
    log.debug(`Setting env ${name} = ${value}`);
    out.push({ kind: 'env', name, value });
  }
  return out;
}
