// A whole tssh run: configuration, identities, TCP, SSH (host key, authentication), then a session or -N.
// Returns the exit status: the remote command's, or 255 when ssh itself failed or got none.
import { hostKeyLookupName, knownHostKeyTypes } from '@tssh/ssh-protocol/keys';
import type { AlgorithmPrefs } from '@tssh/ssh-protocol/transport';
import { ConnectionLostError, PeerDisconnectError } from '@tssh/ssh-protocol/wire';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { ConfigError } from '@tssh/ssh-protocol/config';
import type { ClientLogger } from './client-log.js';
import { preferKnownHostKeyTypes } from './client-algorithms.js';
import { commandLineIdentities, homeDirectory, resolveClientSettings, type ClientSettings } from './client-config.js';
import { openConnection, type ClientSession } from './client-connection.js';
import type { TsshArgs } from './command-line.js';
import { agentSocketPath } from './agent-keys.js';
import { clientCredentials } from './credentials.js';
import { EXIT_FAILURE, FatalError } from './fatal-error.js';
import { checkHostKey } from './host-key-check.js';
import { keyRing } from './identities.js';
import { readKnownHostsFiles } from './known-hosts-files.js';
import type { LocalTerminal } from './local-terminal.js';
import { runSession } from './session.js';
import { connectTcp } from './tcp-connect.js';
import type { Prompter } from './terminal-prompt.js';

/** What a connection needs from the program around it (tssh, and tsftp and tscp, which connect the same way). */
export interface ConnectContext {
  readonly log: ClientLogger;
  /** -q / -v decided the log level: LogLevel in the files is then ignored (it came first). */
  readonly levelFromFlags: boolean;
  /** Writes text for the user to stderr, whatever the log level. */
  tell(text: string): void;
  /** Asks the user (passphrases, passwords, the host key question). */
  readonly prompter: Prompter;
  /** The connection, once there is one: signal handlers close it. */
  onConnected?(session: ClientSession): void;
  /** -f: authenticated, time to go to the background. */
  afterAuthentication?(): void;
}

export interface RunContext extends ConnectContext {
  readonly terminal: LocalTerminal;
}

/** The command line and the config files resolved; LogLevel applied unless -q / -v decided. */
export function clientSettings(args: TsshArgs, ctx: ConnectContext): ClientSettings {
  const home = homeDirectory();
  const cliIdentities = commandLineIdentities(args, home, (line) => ctx.tell(`${line}\n`));
  let s: ClientSettings;
  try {
    s = resolveClientSettings(args, ctx.log, cliIdentities);
  } catch (e) {
    if (e instanceof ConfigError) throw new FatalError(e.message);
    throw e;
  }
  if (!ctx.levelFromFlags) ctx.log.setLevel(s.config.logLevel);
  return s;
}

/** Whether to ask for a pty: -T, -t, -tt, RequestTTY, and whether stdin is a terminal (ssh's rules). */
function wantPty(args: TsshArgs, s: ClientSettings, ctx: RunContext): boolean {
  const mode = args.disableTty ? 'no' : args.forceTty >= 2 ? 'force' : args.forceTty === 1 ? 'yes' : s.config.requestTty;
  const stdinTty = process.stdin.isTTY === true && !args.stdinNull;
  switch (mode) {
    case 'no':
      return false;
    case 'force':
      return true;
    case 'yes':
      if (!stdinTty) ctx.log.info('Pseudo-terminal will not be allocated because stdin is not a terminal.');
      return stdinTty;
    case 'auto':
      return stdinTty && args.command.length === 0 && s.config.remoteCommand === undefined;
  }
}

export async function runClient(args: TsshArgs, ctx: RunContext): Promise<number> {
  const { log } = ctx;
  const s = clientSettings(args, ctx);
  const c = s.config;
  if (args.fork && !args.noCommand && args.command.length === 0 && c.remoteCommand === undefined) {
    throw new FatalError('Cannot fork into background without a command to execute.');
  }
  const session = await connectClient(s, ctx);

  if (args.noCommand) return stayConnected(session, c.hostName, log);
  const words = args.command.length > 0 ? args.command.join(' ') : c.remoteCommand;
  const status = await runSession(session.connection, {
    command: words,
    pty: wantPty(args, s, ctx),
    stdinNull: args.stdinNull,
    host: c.hostName,
    log,
    terminal: ctx.terminal,
    sendEnv: c.sendEnv,
    setEnv: c.setEnv,
    escapeChar: args.escapeChar ? args.escapeChar.value : c.escapeChar,
    controls: {
      disconnect: () => session.endpoint.close(),
      rekey: () => session.endpoint.transport.rekey(),
    },
    tell: ctx.tell,
  });
  return finish(session, status, c.hostName, log);
}

/** TCP, then SSH: host key checked against known_hosts, user authenticated. Failures are FatalErrors. */
export async function connectClient(s: ClientSettings, ctx: ConnectContext): Promise<ClientSession> {
  const { log } = ctx;
  const c = s.config;
  const { socket, reads } = await connectTcp({
    host: c.hostName,
    port: c.port,
    timeout: c.connectTimeout,
    family: c.addressFamily,
    log,
  });
  const ring = keyRing({
    files: s.identityFiles,
    identitiesOnly: c.identitiesOnly,
    agentPath: agentSocketPath(c.identityAgent, process.env),
    log,
    batchMode: c.batchMode,
    passphrasePrompts: c.numberOfPasswordPrompts,
    prompter: ctx.prompter,
  });
  const lookupName = c.hostKeyAlias ?? hostKeyLookupName(c.hostName, c.port);
  const session = await openConnection({
    socket,
    reads,
    log,
    user: c.user,
    host: c.hostName,
    port: c.port,
    algorithms: offeredAlgorithms(s, lookupName, log),
    rekeyLimitBytes: s.algorithms.rekeyLimitBytes,
    rekeyIntervalMs: s.algorithms.rekeyIntervalMs,
    pubkeyAcceptedAlgorithms: s.pubkeyAcceptedAlgorithms,
    preferredAuthentications: s.preferredAuthentications,
    numberOfPasswordPrompts: c.numberOfPasswordPrompts,
    credentials: clientCredentials({
      log,
      batchMode: c.batchMode,
      identities: () => ring.identities(),
      user: c.user,
      host: c.hostKeyAlias ?? c.hostName,
      prompter: ctx.prompter,
      tell: ctx.tell,
    }),
    bannerTimeout: c.connectTimeout,
    verifyHostKey: (key) =>
      checkHostKey(
        key,
        {
          host: c.hostName,
          lookupName,
          userKnownHostsFiles: c.userKnownHostsFiles,
          globalKnownHostsFiles: c.globalKnownHostsFiles,
          strictHostKeyChecking: c.strictHostKeyChecking,
          batchMode: c.batchMode,
          hashKnownHosts: c.hashKnownHosts,
        },
        { log, tell: ctx.tell, ask: (prompt) => ctx.prompter.ask(prompt, true), random: systemRandom },
      ),
  }).finally(() => ring.close());
  ctx.onConnected?.(session);
  ctx.afterAuthentication?.();
  return session;
}

/** The KEXINIT lists; without HostKeyAlgorithms, the key types known for the host go first. */
function offeredAlgorithms(s: ClientSettings, lookupName: string, log: ClientLogger): AlgorithmPrefs {
  const prefs = s.algorithms.prefs;
  if (s.algorithms.hostKeyConfigured) return prefs;
  const c = s.config;
  const entries = readKnownHostsFiles([...c.userKnownHostsFiles, ...c.globalKnownHostsFiles], log);
  const known = knownHostKeyTypes(entries, lookupName);
  if (known.length === 0) return prefs;
  const hostKey = preferKnownHostKeyTypes(prefs.hostKey, known);
  log.debug3(`order_hostkeyalgs: prefer hostkeyalgs: ${hostKey.join(',')}`);
  return { ...prefs, hostKey };
}

/** -N: nothing to run; the connection lasts until the server ends it or a signal ends us. */
async function stayConnected(session: ClientSession, host: string, log: ClientLogger): Promise<number> {
  const error = await session.closed;
  reportLoss(session, error, host, log);
  return EXIT_FAILURE;
}

/**
 * After the session: without an exit status, say why the connection ended (if it did). With one, the session
 * is complete, and whatever the server does with the connection afterwards is no failure.
 */
async function finish(session: ClientSession, status: number | undefined, host: string, log: ClientLogger): Promise<number> {
  if (status === undefined) {
    const lost = await Promise.race([session.closed, Promise.resolve(null)]);
    if (lost !== null) reportLoss(session, lost, host, log);
  }
  session.endpoint.close();
  log.debug(`Exit status ${status ?? -1}`);
  return status ?? EXIT_FAILURE;
}

function reportLoss(session: ClientSession, error: unknown, host: string, log: ClientLogger): void {
  if (error instanceof ConnectionLostError) log.info(`Connection to ${host} closed by remote host.`);
  else if (error instanceof PeerDisconnectError) for (const line of session.describe(error)) log.info(line);
  else if (error) for (const line of session.describe(error)) log.error(line);
}
