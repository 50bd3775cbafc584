// What a session runs (session.c do_exec, do_child): ForceCommand over the key's command= over the client's
// request; internal-sftp served in-process; everything else through the user's shell, a login shell ("-" in
// argv[0]) when there is no command.
import { basename } from 'node:path';
import { matchPatternList, type SshdConfig } from '@tssh/ssh-protocol/config';
import type { AuthorizedKeyOptions } from '@tssh/ssh-protocol/keys';
import type { Account } from './accounts.js';

export const INTERNAL_SFTP = 'internal-sftp';

export type SessionRequestKind =
  | { kind: 'shell' }
  | { kind: 'command'; command: string }
  | { kind: 'subsystem'; name: string; command: string };

export interface SessionPlan {
  /** How it reads in "Starting session: ..." (sshd's session_type). */
  description: string;
  /** Serve SFTP in this process instead of running a program. */
  internalSftp: boolean;
  /** The shell's command (-c), or undefined for an interactive login shell. */
  command: string | undefined;
  /** SSH_ORIGINAL_COMMAND, when a forced command replaced what the client asked for. */
  originalCommand: string | undefined;
  file: string;
  argv0: string;
  args: string[];
}

export function planSession(request: SessionRequestKind, account: Account, config: SshdConfig, keyOptions: AuthorizedKeyOptions | undefined): SessionPlan {
  const asked = request.kind === 'shell' ? undefined : request.command;
  // sshd: the administrator's ForceCommand wins over the key's command=.
  const forcedBy = config.forceCommand !== undefined ? '(config)' : keyOptions?.command !== undefined ? '(key-option)' : undefined;
  const forced = config.forceCommand ?? keyOptions?.command;
  const command = forced ?? asked;
  let description: string;
  if (forced !== undefined) description = `forced-command ${forcedBy} '${forced}'`;
  else if (request.kind === 'subsystem') description = `subsystem '${request.name}'`;
  else if (request.kind === 'shell') description = 'shell';
  else description = 'command';
  const shell = account.shell || '/bin/sh';
  const name = basename(shell);
  return {
    description,
    internalSftp: command !== undefined && command.trim() === INTERNAL_SFTP,
    command,
    originalCommand: forced !== undefined ? (asked ?? '') : undefined,
    file: shell,
    argv0: command === undefined ? `-${name}` : name,
    args: command === undefined ? [] : ['-c', command],
  };
}

/**
 * Variables from authorized_keys environment= (only with PermitUserEnvironment: yes, or a pattern list the
 * name must match) and from SetEnv, SetEnv last so that it wins.
 */
export function extraEnvironment(config: SshdConfig, keyOptions: AuthorizedKeyOptions | undefined): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  const permit = config.permitUserEnvironment;
  for (const e of keyOptions?.environment ?? []) {
    if (permit === true || (typeof permit === 'string' && matchPatternList(e.name, permit) === 1)) out.push(e);
  }
  for (const line of config.setEnv) {
    const eq = line.indexOf('=');
    if (eq > 0) out.push({ name: line.slice(0, eq), value: line.slice(eq + 1) });
  }
  return out;
}
