// One `session` channel (RFC 4254 §6): env, exec, shell and subsystem requests, the child process, and the
// exit-status / exit-signal, EOF and CLOSE that end it.
import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import type { SshdConfig } from '@tssh/ssh-protocol/config';
import type { Channel, ChannelRequest } from '@tssh/ssh-protocol/connection';
import type { AuthorizedKeyOptions } from '@tssh/ssh-protocol/keys';
import { channelExtendedWritable, channelToDuplex } from '@tssh/ssh-protocol/node';
import type { Logger } from '@tssh/ssh-protocol/wire';
import type { Account } from './accounts.js';
import { acceptEnvAllows, sessionEnvironment } from './session-environment.js';
import { signalName, signalNumber } from './signals.js';

export interface SessionContext {
  account: Account;
  config: SshdConfig;
  client: { address: string; port: number };
  server: { address: string; port: number };
  keyOptions: AuthorizedKeyOptions | undefined;
  log: Logger;
}

export class SessionChannel {
  private readonly accepted = new Map<string, string>();
  private child: ChildProcess | undefined;

  constructor(
    private readonly channel: Channel,
    private readonly ctx: SessionContext,
  ) {
    channel.onRequest = (req) => this.onRequest(req);
    channel.on('close', () => this.child?.exitCode === null && this.child.kill('SIGHUP'));
  }

  private onRequest(req: ChannelRequest): boolean {
    switch (req.kind) {
      case 'env':
        if (this.child || !acceptEnvAllows(this.ctx.config.acceptEnv, req.name)) {
          this.ctx.log.debug(`Ignoring env request ${req.name}: not allowed by AcceptEnv`);
          return false;
        }
        this.accepted.set(req.name, req.value);
        return true;
      case 'exec':
        return this.start('command', req.commandText);
      case 'shell':
        return this.start('shell', undefined);
      case 'subsystem': {
        const sub = this.ctx.config.subsystems.find((s) => s.name === req.name);
        if (!sub || sub.command === 'internal-sftp') {
          this.ctx.log.info(`subsystem request for ${req.name} by user ${this.ctx.account.name} failed, subsystem not found`);
          return false;
        }
        return this.start(`subsystem '${req.name}'`, sub.command, true);
      }
      case 'signal': {
        const n = signalNumber(req.signal);
        if (!this.child || n === undefined) return false;
        this.child.kill(n);
        return true;
      }
      default:
        return false;
    }
  }

  /** RFC 4254 §6.5: only one of shell, exec and subsystem per channel. */
  private start(what: string, command: string | undefined, subsystem = false): boolean {
    if (this.child) return false;
    const { account, config, keyOptions, log, client } = this.ctx;
    const forced = keyOptions?.command ?? config.forceCommand;
    const run = forced ?? command;
    const extra = [...(config.permitUserEnvironment ? (keyOptions?.environment ?? []) : [])];
    const env = sessionEnvironment({
      account,
      client,
      server: this.ctx.server,
      accepted: this.accepted,
      extra,
      originalCommand: forced !== undefined ? (command ?? '') : undefined,
    });
    const shell = account.shell;
    // A login shell is started with "-" in front of its name (argv[0]); commands run as `shell -c command`.
    const args = run === undefined ? [] : ['-c', run];
    const argv0 = run === undefined ? `-${basename(shell)}` : basename(shell);
    log.info(`Starting session: ${forced !== undefined ? 'forced-command' : subsystem ? what : what} for ${account.name} from ${client.address} port ${client.port} id ${this.channel.localId}`);
    let child: ChildProcess;
    try {
      child = spawn(shell, args, { cwd: account.home, env, argv0, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      log.error(`session: cannot run ${shell}: ${(e as Error).message}`);
      return false;
    }
    this.child = child;
    this.wire(child);
    return true;
  }

  private wire(child: ChildProcess): void {
    const ch = this.channel;
    const duplex = channelToDuplex(ch);
    const stderr = channelExtendedWritable(ch);
    duplex.pipe(child.stdin!);
    child.stdin!.on('error', () => {}); // the command may exit without reading its input (EPIPE)
    child.stdout!.pipe(duplex, { end: false });
    child.stderr!.pipe(stderr);
    let outputDone = 0;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    // RFC 4254 §5.3: no data (stderr included) after EOF, so EOF waits for both output streams; the exit
    // status goes first (§6.10), then EOF once the stream has handed every byte to the channel, then CLOSE.
    const finish = (): void => {
      if (outputDone < 2 || !exit) return;
      outputDone = -1;
      if (exit.signal) {
        void ch.request({ kind: 'exit-signal', signal: signalName(exit.signal), coreDumped: false, message: '', language: '' }, false);
      } else {
        void ch.request({ kind: 'exit-status', status: exit.code ?? 255 }, false);
      }
      duplex.end(() => ch.close());
    };
    child.stdout!.on('end', () => {
      outputDone++;
      finish();
    });
    stderr.on('finish', () => {
      outputDone++;
      finish();
    });
    child.on('error', (e) => {
      this.ctx.log.error(`session: ${e.message}`);
      exit = { code: 255, signal: null };
      outputDone = 2;
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      finish();
    });
  }
}
