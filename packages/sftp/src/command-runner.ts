// Runs one command line of the prompt or a batch file against the session, printing what OpenSSH's sftp prints.
// The outcome says whether it failed (a batch stops unless the line began with "-") or asked to quit.
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { FXF, S_IFMT, S_IFREG, type SftpAttrs } from '@tssh/ssh-protocol/sftp';
import { assertNever } from '@tssh/ssh-protocol/wire';
import { CommandError, parseCommandLine, type Command, type TransferFlags } from './commands.js';
import { CommandWordsError } from './command-words.js';
import { dfCommand } from './df-command.js';
import { errorText, isSessionLost } from './error-text.js';
import { getCommand, putCommand } from './get-put-commands.js';
import { isRemoteDir, remoteGlob } from './glob-sources.js';
import { unescapeGlob } from './glob.js';
import { helpText } from './help-text.js';
import { lsCommand } from './ls-command.js';
import { makeAbsolute } from './remote-path.js';
import type { SessionState } from './session-state.js';

export type Outcome = 'ok' | 'failed' | 'quit';

export interface LineResult {
  outcome: Outcome;
  /** The line began with "-": a failure does not stop a batch. */
  ignoreErrors: boolean;
}

export async function runLine(s: SessionState, line: string): Promise<LineResult> {
  let parsed;
  try {
    parsed = parseCommandLine(line);
  } catch (e) {
    if (!(e instanceof CommandError || e instanceof CommandWordsError)) throw e;
    s.error(e.message);
    return { outcome: 'failed', ignoreErrors: line.trim().startsWith('-') };
  }
  if (parsed.command === undefined) return { outcome: 'ok', ignoreErrors: parsed.ignoreErrors };
  const outcome = await runCommand(s, parsed.command, s.batch && !parsed.ignoreErrors);
  return { outcome, ignoreErrors: parsed.ignoreErrors };
}

/** A remote step that reports its own failure as `message: reason`; a lost session is thrown. */
async function step(s: SessionState, message: string, f: () => Promise<unknown>): Promise<boolean> {
  try {
    await f();
    return true;
  } catch (e) {
    if (isSessionLost(e)) throw e;
    s.error(`${message}: ${errorText(e)}`);
    return false;
  }
}

const ok = (b: boolean): Outcome => (b ? 'ok' : 'failed');

function withDefaults(s: SessionState, f: TransferFlags): TransferFlags {
  const d = s.defaults;
  return { preserve: f.preserve || d.preserve, recursive: f.recursive || d.recursive, resume: f.resume || d.resume, fsync: f.fsync || d.fsync };
}

/** `stopAtFailure`: rm, chmod, chown and chgrp leave the rest of their matches alone after a failure. */
export async function runCommand(s: SessionState, c: Command, stopAtFailure = false): Promise<Outcome> {
  const { client } = s;
  const abs = (p: string): string => makeAbsolute(p, s.cwd);
  switch (c.kind) {
    case 'get':
      return ok(await getCommand(s, c.source, c.target, withDefaults(s, c.flags)));
    case 'put':
      return ok(await putCommand(s, c.source, c.target, withDefaults(s, c.flags)));
    case 'ls':
      return ok(await lsCommand(s, c.path, c.flags));
    case 'cd':
      return ok(await changeDirectory(s, c.path));
    case 'lcd': {
      const path = expandHome(c.path === undefined || c.path === '' ? '~' : c.path);
      try {
        process.chdir(path);
        return 'ok';
      } catch (e) {
        s.error(`Couldn't change local directory to "${path}": ${errorText(e)}`);
        return 'failed';
      }
    }
    case 'pwd':
      s.print(`Remote working directory: ${s.cwd}`);
      return 'ok';
    case 'lpwd':
      s.print(`Local working directory: ${process.cwd()}`);
      return 'ok';
    case 'mkdir':
      return ok(await step(s, `remote mkdir "${abs(c.path)}"`, () => client.mkdir(abs(c.path), { permissions: 0o777 })));
    case 'lmkdir':
      try {
        await mkdir(c.path, 0o777);
        return 'ok';
      } catch (e) {
        s.error(`Couldn't create local directory "${c.path}": ${errorText(e)}`);
        return 'failed';
      }
    case 'rmdir':
      return ok(await step(s, `remote rmdir "${abs(c.path)}"`, () => client.rmdir(abs(c.path))));
    case 'rm':
      return forEachMatch(s, abs(c.path), stopAtFailure, async (p) => {
        if (!s.quiet) s.print(`Removing ${p}`);
        return step(s, `remote delete ${p}`, () => client.remove(p));
      });
    case 'rename': {
      const [from, to] = [abs(c.from), abs(c.to)];
      return ok(await step(s, `remote rename "${from}" to "${to}"`, () => client.rename(from, to, c.legacy ? false : undefined)));
    }
    case 'ln': {
      const to = abs(c.to);
      if (c.symbolic) return ok(await step(s, `remote symlink file "${c.from}" to "${to}"`, () => client.symlink(c.from, to)));
      const from = abs(c.from);
      return ok(await step(s, `remote link "${from}" to "${to}"`, () => client.hardlink(from, to)));
    }
    case 'cp':
      return ok(await copyRemote(s, abs(c.from), abs(c.to)));
    case 'chmod':
      return forEachMatch(s, abs(c.path), stopAtFailure, async (p) => {
        if (!s.quiet) s.print(`Changing mode on ${p}`);
        return step(s, `remote setstat "${p}"`, () => client.setstat(p, { permissions: c.mode }));
      });
    case 'chown':
      return forEachMatch(s, abs(c.path), stopAtFailure, async (p) => {
        let a: SftpAttrs | undefined;
        if (!(await step(s, 'stat remote', async () => (a = await client.stat(p))))) return false;
        if (a?.owner === undefined) {
          s.error(`Can't get current ownership of remote file "${p}"`);
          return false;
        }
        const owner = c.group ? { uid: a.owner.uid, gid: c.id } : { uid: c.id, gid: a.owner.gid };
        if (!s.quiet) s.print(`Changing ${c.group ? 'group' : 'owner'} on ${p}`);
        return step(s, `remote setstat "${p}"`, () => client.setstat(p, { owner }));
      });
    case 'df':
      return ok(await dfCommand(s, c.path, c.human, c.inodes));
    case 'lls':
      return ok(localShell(s, `ls${c.args === '' ? '' : ` ${c.args}`}`));
    case 'shell':
      return ok(localShell(s, c.command === '' ? undefined : c.command));
    case 'progress':
      s.showProgress = !s.showProgress;
      s.print(`Progress meter ${s.showProgress ? 'enabled' : 'disabled'}`);
      return 'ok';
    case 'version':
      s.print(`SFTP protocol version ${client.server.version}`);
      return 'ok';
    case 'help':
      s.print(helpText());
      return 'ok';
    case 'quit':
      return 'quit';
    default:
      return assertNever(c);
  }
}

function expandHome(path: string): string {
  if (path === '~') return process.env.HOME ?? homedir();
  if (path.startsWith('~/')) return `${process.env.HOME ?? homedir()}${path.slice(1)}`;
  return path;
}

async function changeDirectory(s: SessionState, path: string | undefined): Promise<boolean> {
  const target = makeAbsolute(path === undefined || path === '' ? s.home : path, s.cwd);
  let real = '';
  let a: SftpAttrs | undefined;
  if (!(await step(s, `realpath "${target}"`, async () => (real = await s.client.realpath(target))))) return false;
  if (!(await step(s, 'stat remote', async () => (a = await s.client.stat(real))))) return false;
  if (a?.permissions === undefined) {
    s.error("Can't change directory: Can't check target");
    return false;
  }
  if (!isRemoteDir(a)) {
    s.error(`Can't change directory: "${real}" is not a directory`);
    return false;
  }
  s.cwd = real;
  return true;
}

/** rm, chmod, chown: each path the glob matches, or the path itself when nothing does (GLOB_NOCHECK). */
async function forEachMatch(s: SessionState, pattern: string, stopAtFailure: boolean, f: (path: string) => Promise<boolean>): Promise<Outcome> {
  const matches = await remoteGlob(s.client, pattern);
  const paths = matches.length > 0 ? matches.map((m) => m.path) : [unescapeGlob(pattern)];
  let good = true;
  for (const p of paths) {
    if (s.signal?.aborted) return 'failed';
    if (!(await f(p))) {
      good = false;
      if (stopAtFailure) break;
    }
  }
  return ok(good);
}

/** cp: copy-data on the server (draft-ietf-secsh-filexfer-extensions-00 §7), keeping the mode. */
async function copyRemote(s: SessionState, from: string, to: string): Promise<boolean> {
  const { client } = s;
  if (!client.supports('copy-data')) {
    s.error('Server does not support copy-data extension');
    return false;
  }
  let a: SftpAttrs | undefined;
  if (!(await step(s, 'stat remote', async () => (a = await client.stat(from))))) return false;
  if (a?.permissions !== undefined && (a.permissions & S_IFMT) !== S_IFREG) {
    s.error(`Cannot copy non-regular file: ${from}`);
    return false;
  }
  let src: Uint8Array | undefined;
  let dst: Uint8Array | undefined;
  try {
    if (!(await step(s, `remote open "${from}"`, async () => (src = await client.open(from, FXF.READ))))) return false;
    const attrs = a?.permissions === undefined ? {} : { permissions: a.permissions & 0o777 };
    const flags = FXF.WRITE | FXF.CREAT | FXF.TRUNC;
    if (!(await step(s, `dest open "${to}"`, async () => (dst = await client.open(to, flags, attrs))))) return false;
    return await step(s, `remote copy "${from}" to "${to}"`, () => client.copyData(src!, 0, 0, dst!, 0));
  } finally {
    for (const h of [src, dst]) if (h) await client.close(h).catch((e: unknown) => { if (isSessionLost(e)) throw e; });
  }
}

/** `!command` and `lls`: the user's shell, with the terminal. */
function localShell(s: SessionState, command: string | undefined): boolean {
  const shell = process.env.SHELL || '/bin/sh';
  const r = spawnSync(shell, command === undefined ? [] : ['-c', command], { stdio: 'inherit' });
  if (r.error) {
    s.error(`Couldn't execute "${shell}": ${errorText(r.error)}`);
    return false;
  }
  if (r.status === null) {
    s.error('Shell exited abnormally');
    return false;
  }
  if (r.status !== 0) {
    s.error(`Shell exited with status ${r.status}`);
    return false;
  }
  return true;
}
