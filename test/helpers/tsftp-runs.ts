// Running tsftp and tscp (or OpenSSH's sftp and scp, which take the same flags) against a test server: no config
// file, the server's test key, known_hosts in the server's directory, and a HOME of their own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, run, type RunResult } from './processes.js';
import { sshArgs, type RunningServer } from './servers.js';

export const TSFTP = join(REPO, 'packages/sftp/bin/tsftp.js');
export const TSCP = join(REPO, 'packages/sftp/bin/tscp.js');

export type SftpClientKind = 'tsftp' | 'sftp';

/** sftp's and scp's options for `server` (-P for the port), and the `user@host` they go to. */
export function transferArgs(server: RunningServer, extra: string[] = []): { options: string[]; destination: string } {
  const all = sshArgs(server, extra).map((a) => (a === '-p' ? '-P' : a));
  return { options: all.slice(0, -1), destination: all[all.length - 1] };
}

export interface BatchRun extends RunResult {
  out: string;
}

let batches = 0;

/** `tsftp -b FILE` (or sftp) with `commands`, run in `cwd`; `extra` goes before the destination. */
export async function sftpBatch(
  kind: SftpClientKind,
  server: RunningServer,
  cwd: string,
  commands: readonly string[],
  opts: { extra?: string[]; path?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<BatchRun> {
  const file = join(cwd, `.batch-${process.pid}-${++batches}`);
  writeFileSync(file, `${commands.join('\n')}\n`);
  const { options, destination } = transferArgs(server);
  const target = opts.path === undefined ? destination : `${destination}:${opts.path}`;
  const argv = [...options, ...(opts.extra ?? []), '-b', file, target];
  const [bin, pre] = kind === 'tsftp' ? [process.execPath, [TSFTP]] : ['/usr/bin/sftp', []];
  const r = await run(bin, [...pre, ...argv], { cwd, env: opts.env, timeoutMs: opts.timeoutMs ?? 60_000 });
  return { ...r, out: r.stdout.toString() };
}

/** `tscp` (or scp) with `operands`, where a leading "R:" stands for the server's `user@host:`. */
export async function scpRun(
  kind: 'tscp' | 'scp',
  server: RunningServer,
  cwd: string,
  operands: readonly string[],
  opts: { flags?: string[]; timeoutMs?: number } = {},
): Promise<RunResult> {
  const { options, destination } = transferArgs(server);
  const words = operands.map((o) => (o.startsWith('R:') ? `${destination}:${o.slice(2)}` : o));
  const [bin, pre] = kind === 'tscp' ? [process.execPath, [TSCP]] : ['/usr/bin/scp', []];
  return run(bin, [...pre, ...options, ...(opts.flags ?? []), ...words], { cwd, timeoutMs: opts.timeoutMs ?? 60_000 });
}
