// One `session` channel (RFC 4254 §6): pty-req, env, exec, shell, subsystem, window-change, signal and break
// requests, the program they start, and the exit-status / exit-signal, EOF and CLOSE that end it.
import { expandTokens, type SshdConfig } from '@tssh/ssh-protocol/config';
import type { Channel, ChannelRequest } from '@tssh/ssh-protocol/connection';
import type { AuthorizedKeyOptions } from '@tssh/ssh-protocol/keys';
import { serveSftp } from '@tssh/ssh-protocol/node';
import type { Logger } from '@tssh/ssh-protocol/wire';
import type { Account } from './accounts.js';
import type { LastLogin } from './lastlog.js';
import { loginMessages } from './login-messages.js';
import { runWithPipes } from './pipe-program.js';
import type { TerminalSize } from './pseudo-terminal.js';
import { runOnTerminal } from './pty-program.js';
import { extraEnvironment, planSession, type SessionPlan, type SessionRequestKind } from './session-command.js';
import { acceptEnvAllows, sessionEnvironment } from './session-environment.js';
import type { RunningProgram } from './session-program.js';
import { signalNumber } from './signals.js';
import { sttyOperands } from './terminal-modes-stty.js';

export interface SessionContext {
  account: Account;
  config: SshdConfig;
  client: { address: string; port: number };
  server: { address: string; port: number };
  keyOptions: AuthorizedKeyOptions | undefined;
  log: Logger;
  /** The login before this one (PrintLastLog). */
  lastLogin?: LastLogin;
}

interface TerminalRequest {
  term: string;
  size: TerminalSize;
  modes: string[];
}

export class SessionChannel {
  private readonly accepted = new Map<string, string>();
  private terminal: TerminalRequest | undefined;
  private program: RunningProgram | undefined;
  private started = false;

  constructor(
    private readonly channel: Channel,
    private readonly ctx: SessionContext,
  ) {
    channel.onRequest = (req) => this.onRequest(req);
    channel.on('close', () => this.program?.hangup());
  }

  private onRequest(req: ChannelRequest): boolean {
    const { config, log, account } = this.ctx;
    switch (req.kind) {
      case 'pty-req':
        return this.allocateTerminal(req.term, { cols: req.cols, rows: req.rows }, req.modes);
      case 'window-change':
        if (!this.terminal) return false;
        this.terminal.size = { cols: req.cols, rows: req.rows };
        this.program?.resize(this.terminal.size);
        return true;
      case 'env':
        if (this.started || !acceptEnvAllows(config.acceptEnv, req.name)) {
          log.debug(`Ignoring env request ${req.name}: not allowed by AcceptEnv`);
          return false;
        }
        this.accepted.set(req.name, req.value);
        return true;
      case 'exec':
        return this.start({ kind: 'command', command: req.commandText });
      case 'shell':
        return this.start({ kind: 'shell' });
      case 'subsystem': {
        const sub = config.subsystems.find((s) => s.name === req.name);
        if (!sub) {
          log.info(`subsystem request for ${req.name} by user ${account.name} failed, subsystem not found`);
          return false;
        }
        log.verbose(`subsystem request for ${req.name} by user ${account.name}`);
        return this.start({ kind: 'subsystem', name: req.name, command: sub.command });
      }
      case 'signal': {
        if (signalNumber(req.signal) === undefined || !this.program) return false;
        return this.program.signal(`SIG${req.signal}` as NodeJS.Signals);
      }
      case 'break':
        // RFC 4335. sshd answers with tcsendbreak() on the terminal, which a Linux pseudo-terminal accepts and
        // ignores (it has no line to hold in the break condition): the same answer here, and no effect.
        return this.terminal !== undefined && this.started;
      default:
        return false;
    }
  }

  // RFC 4254 §6.2. Refused by no-pty / restrict in authorized_keys, PermitTTY no, or a second request.
  private allocateTerminal(term: string, size: TerminalSize, modes: Uint8Array): boolean {
    const { keyOptions, config, log } = this.ctx;
    if (this.started || this.terminal) return false;
    if (keyOptions?.pty === false || !config.permitTty) {
      log.verbose('Pty allocation disabled.');
      return false;
    }
    this.terminal = { term, size, modes: sttyOperands(modes) };
    return true;
  }

  /** RFC 4254 §6.5: only one of shell, exec and subsystem per channel. */
  private start(request: SessionRequestKind): boolean {
    if (this.started) return false;
    const { account, config, keyOptions, log, client } = this.ctx;
    const plan = planSession(request, account, config, keyOptions);
    if (config.chrootDirectory !== undefined && !plan.internalSftp) {
      log.error(`ChrootDirectory is supported with internal-sftp only: refusing ${plan.description} for ${account.name}`);
      return false;
    }
    this.started = true;
    const where = `for ${account.name} from ${client.address} port ${client.port} id ${this.channel.localId}`;
    if (plan.internalSftp) {
      log.info(`Starting session: ${plan.description} ${where}`);
      this.serveInternalSftp();
      return true;
    }
    try {
      this.program = this.terminal ? this.startOnTerminal(plan, this.terminal) : this.startWithPipes(plan);
    } catch (e) {
      log.error(`session: cannot run ${plan.file}: ${(e as Error).message}`);
      this.started = false;
      return false;
    }
    const tty = this.program.tty === undefined ? '' : ` on ${this.program.tty}`;
    log.info(`Starting session: ${plan.description}${tty} ${where}`);
    return true;
  }

  private environment(plan: SessionPlan, term: string | undefined): Record<string, string> {
    const { account, config, keyOptions, client, server } = this.ctx;
    return sessionEnvironment({
      account,
      client,
      server,
      accepted: this.accepted,
      extra: extraEnvironment(config, keyOptions),
      term,
      originalCommand: plan.originalCommand,
    });
  }

  private startWithPipes(plan: SessionPlan): RunningProgram {
    const { account, log } = this.ctx;
    return runWithPipes(this.channel, { file: plan.file, argv0: plan.argv0, args: plan.args, env: this.environment(plan, undefined), cwd: account.home }, log);
  }

  private startOnTerminal(plan: SessionPlan, t: TerminalRequest): RunningProgram {
    const { account, config, lastLogin } = this.ctx;
    if (plan.command === undefined) {
      const text = loginMessages({ account, printMotd: config.printMotd, printLastLog: config.printLastLog, lastLogin });
      if (text) this.channel.write(new TextEncoder().encode(text));
    }
    return runOnTerminal(this.channel, {
      file: plan.file,
      argv0: plan.argv0,
      args: plan.args,
      env: this.environment(plan, t.term),
      cwd: account.home,
      term: t.term,
      size: t.size,
      sttyOperands: t.modes,
    });
  }

  private serveInternalSftp(): void {
    const { account, config, log, client } = this.ctx;
    const tokens = { h: account.home, u: account.name, U: String(account.uid) };
    const root = config.chrootDirectory === undefined ? undefined : expandTokens(config.chrootDirectory, tokens);
    serveSftp(this.channel, {
      ...(root === undefined ? {} : { root }),
      home: account.home,
      log,
      user: account.name,
      clientAddress: client.address,
    }).catch((e: unknown) => {
      log.error(`sftp session for ${account.name}: ${(e as Error).message}`);
      this.channel.close();
    });
  }
}
