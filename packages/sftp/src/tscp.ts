// tscp: copies files between hosts over SFTP, as OpenSSH's scp does by default. `tscp [-rp] SRC... HOST:DST`
// uploads, `tscp [-rp] HOST:SRC... DST` downloads (sources may name several hosts); local to local is cp(1).
// Connections are made as tssh makes them. Exit status: 0, 1 when a file failed, 255 when a connection did.
import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { createClientLogger, levelFromFlags } from '@tssh/ssh/dist/client-log.js';
import { FatalError } from '@tssh/ssh/dist/fatal-error.js';
import { terminalPrompter } from '@tssh/ssh/dist/terminal-prompt.js';
import { errorText, isSessionLost } from './error-text.js';
import { exitWith, tell } from './program-exit.js';
import { parseRemoteOperand, type RemoteOperand } from './remote-operand.js';
import { SCP_USAGE, parseTscpArgs, type TscpArgs } from './scp-command-line.js';
import { copyToLocal, copyToRemote, type RemoteSide } from './scp-copy.js';
import { UsageError } from './sftp-command-line.js';
import { connectSftp, type SftpConnection } from './sftp-connect.js';
import { tsshArgsFor } from './ssh-options.js';

const EXIT_FATAL = 255;

function parse(argv: readonly string[]): TscpArgs | undefined {
  try {
    return parseTscpArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    tell(`tscp: ${e.message}\n${SCP_USAGE}\n`);
    return undefined;
  }
}

const complain = (text: string): void => tell(`tscp: ${text}\n`);

class Connections {
  private readonly open = new Map<string, Promise<{ conn: SftpConnection; side: RemoteSide }>>();

  constructor(private readonly args: TscpArgs) {}

  get(remote: RemoteOperand): Promise<{ conn: SftpConnection; side: RemoteSide }> {
    const key = `${remote.destination}:${remote.port ?? ''}`;
    let c = this.open.get(key);
    if (!c) {
      c = this.connect(remote);
      this.open.set(key, c);
    }
    return c;
  }

  private async connect(remote: RemoteOperand): Promise<{ conn: SftpConnection; side: RemoteSide }> {
    const { args } = this;
    const flagLevel = levelFromFlags(args.ssh.quiet, args.ssh.verbose);
    const log = createClientLogger(flagLevel ?? 'INFO');
    const conn = await connectSftp(
      tsshArgsFor(args.ssh, remote),
      { log, levelFromFlags: flagLevel !== undefined, tell, prompter: terminalPrompter },
      {},
    );
    const stdout = process.stdout;
    const ctx = {
      client: conn.client,
      tuning: conn.tuning,
      progress: !args.quiet && stdout.isTTY === true,
      meter: { write: (t: string) => void stdout.write(t), columns: stdout.columns ?? 80 },
      say: complain,
      error: complain,
    };
    let home: string;
    try {
      home = await conn.client.realpath('.');
    } catch (e) {
      await conn.close();
      throw new FatalError(`Need cwd: ${errorText(e)}`);
    }
    return { conn, side: { ctx, home } };
  }

  async closeAll(): Promise<void> {
    for (const c of this.open.values()) await c.then((x) => x.conn.close(), () => {});
  }
}

/** Local to local: cp(1), as scp runs it. */
function localCopy(sources: readonly string[], target: string, args: TscpArgs): boolean {
  const flags = [...(args.recursive ? ['-r'] : []), ...(args.preserve ? ['-p'] : [])];
  const r = spawnSync('cp', [...flags, '--', ...sources, target], { stdio: 'inherit' });
  return r.status === 0;
}

async function run(args: TscpArgs, conns: Connections): Promise<boolean> {
  const target = parseRemoteOperand(args.target, 'scp');
  const sources = args.sources.map((s) => ({ text: s, remote: parseRemoteOperand(s, 'scp') }));
  const o = { recursive: args.recursive, preserve: args.preserve };
  if (target) {
    if (sources.some((s) => s.remote)) {
      complain('copies between two remote hosts are not supported');
      return false;
    }
    const { side } = await conns.get(target);
    return copyToRemote(side, sources.map((s) => s.text), target.path, o);
  }
  if (sources.length > 1) {
    const st = await stat(args.target).catch(() => undefined);
    if (!st?.isDirectory()) {
      complain(`${args.target}: ${st ? 'Not a directory' : 'No such file or directory'}`);
      return false;
    }
  }
  let ok = true;
  const locals = sources.filter((s) => !s.remote).map((s) => s.text);
  if (locals.length > 0 && !localCopy(locals, args.target, args)) ok = false;
  for (const s of sources) {
    if (!s.remote) continue;
    const { side } = await conns.get(s.remote);
    if (!(await copyToLocal(side, s.remote.path, args.target, sources.length > 1, o))) ok = false;
  }
  return ok;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parse(argv);
  if (!args) return 1;
  const conns = new Connections(args);
  try {
    return (await run(args, conns)) ? 0 : 1;
  } catch (e) {
    if (e instanceof FatalError) {
      for (const line of e.message.split('\n')) tell(`${line}\n`);
      return EXIT_FATAL;
    }
    if (isSessionLost(e)) {
      complain('Connection closed');
      return EXIT_FATAL;
    }
    throw e;
  } finally {
    await conns.closeAll();
  }
}

main(process.argv.slice(2)).then(
  (code) => exitWith(code),
  (e: unknown) => {
    tell(`tscp: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return exitWith(EXIT_FATAL);
  },
);
