// The environment of a user's command, as sshd builds it (session.c do_setup_env).
import { matchPattern } from '@tssh/ssh-protocol/config';
import type { Account } from './accounts.js';

export const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/games';
export const DEFAULT_ROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface EnvironmentInput {
  account: Account;
  client: { address: string; port: number };
  server: { address: string; port: number };
  /** Variables the client sent with `env` that AcceptEnv allowed. */
  accepted: ReadonlyMap<string, string>;
  /** authorized_keys environment= (only with PermitUserEnvironment) and SetEnv. */
  extra: ReadonlyArray<{ name: string; value: string }>;
  term?: string;
  tty?: string;
  originalCommand?: string;
}

export function sessionEnvironment(i: EnvironmentInput): Record<string, string> {
  const a = i.account;
  const env: Record<string, string> = {};
  for (const [k, v] of i.accepted) env[k] = v;
  for (const { name, value } of i.extra) env[name] = value;
  Object.assign(env, {
    USER: a.name,
    LOGNAME: a.name,
    HOME: a.home,
    SHELL: a.shell,
    PATH: a.uid === 0 ? DEFAULT_ROOT_PATH : DEFAULT_PATH,
    MAIL: `/var/mail/${a.name}`,
    SSH_CLIENT: `${i.client.address} ${i.client.port} ${i.server.port}`,
    SSH_CONNECTION: `${i.client.address} ${i.client.port} ${i.server.address} ${i.server.port}`,
  });
  if (process.env.TZ) env.TZ = process.env.TZ;
  if (process.env.LANG && !env.LANG) env.LANG = process.env.LANG;
  if (i.term) env.TERM = i.term;
  if (i.tty) env.SSH_TTY = i.tty;
  if (i.originalCommand !== undefined) env.SSH_ORIGINAL_COMMAND = i.originalCommand;
  return env;
}

/** AcceptEnv: is this variable name allowed from the client? */
export function acceptEnvAllows(patterns: readonly string[], name: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
  return patterns.some((p) => p.split(/\s+/).some((q) => q && matchPattern(name, q)));
}
