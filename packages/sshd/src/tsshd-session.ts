// tsshd-session: serves one SSH connection on fd 0/1, like `sshd -i`. Started by tsshd for each accepted
// connection, or by inetd / xinetd / a systemd socket with Accept=yes.
import { ConfigError } from '@tssh/ssh-protocol/config';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { ServerEndpoint } from '@tssh/ssh-protocol/endpoint';
import { feedBorrowedFrom, feedFrom, streamIO, type BorrowingSink } from '@tssh/ssh-protocol/node';
import { DisconnectReason } from '@tssh/ssh-protocol/wire';
import { watchAuthAttempts } from './auth-attempts.js';
import { startClientAlive, type ClientAliveCheck } from './client-alive.js';
import { UsageError } from './command-line.js';
import { exitOnCrash } from './crash-exit.js';
import { EXIT_LOGIN_GRACE, sessionExitStatus } from './exit-status.js';
import { loadHostKeys } from './host-key-loader.js';
import { createServerLogger, logDestination, parseLogLevel, type ServerLogger, type ServerLogLevel } from './log.js';
import { openPeerStream, peerStreamFromSocket, type PeerStream } from './peer-stream.js';
import { runningAsRoot } from './privileges.js';
import { parseSessionArgs, type SessionArgs } from './session-args.js';
import { loadSessionConfig, readBanner, rekeyOptions, transportAlgorithms } from './session-config.js';
import { logConnectionEnd } from './session-end.js';
import { SessionAuthPolicy } from './session-auth-policy.js';
import { sessionConnectionHandler } from './session-handler.js';
import { currentUserName, startSession } from './session-start.js';
import { hasListenerChannel, listenerLink, receiveConnection } from './worker-notify.js';
import { outputPipes } from './output-pipes.js';
import { warmUp } from './worker-warmup.js';

function levelFor(args: SessionArgs, configured: string): ServerLogLevel {
  if (args.debug > 0) return (['DEBUG1', 'DEBUG2', 'DEBUG3'] as const)[Math.min(args.debug, 3) - 1];
  return parseLogLevel(configured) ?? 'INFO';
}

function main(peer: PeerStream): void {
  let args: SessionArgs;
  try {
    args = parseSessionArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`tsshd-session: ${(e as Error).message}\n`);
    process.exit(1);
  }
  let config;
  try {
    config = loadSessionConfig(args.configFile, args.overrides);
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError || e instanceof UsageError ? '' : 'tsshd-session: '}${(e as Error).message}\n`);
    process.exit(1);
  }
  const log: ServerLogger = createServerLogger({
    program: 'tsshd-session',
    level: levelFor(args, config.logLevel),
    destination: logDestination(args, config.syslogFacility),
    format: config.logFormat,
  });
  const link = listenerLink();
  const hostKeys = loadHostKeys(config.hostKeys, log);
  if (hostKeys.length === 0) {
    log.fatal('tsshd-session: no hostkeys available -- exiting.');
    peer.destroy();
    process.exit(1);
  }
  log.verbose(`Connection from ${peer.address} port ${peer.port} on ${peer.localAddress} port ${peer.localPort}`);
  const algorithms = transportAlgorithms(config);
  const policy = new SessionAuthPolicy({
    config,
    clientAddress: peer.address,
    clientPort: peer.port,
    localAddress: peer.localAddress,
    localPort: peer.localPort,
    log,
    onlyUser: runningAsRoot() ? undefined : currentUserName(),
    acceptedAlgorithms: algorithms.pubkeyAccepted,
    now: () => Date.now(),
  });
  const env = { random: systemRandom, now: () => Date.now(), log };
  const { policy: watchedPolicy, attempts } = watchAuthAttempts(policy);
  let user: string | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let graceExceeded = false;
  let clientAlive: ClientAliveCheck | undefined;
  const endpoint: ServerEndpoint = new ServerEndpoint(
    {
      transport: {
        hostKeys,
        serverSigAlgs: algorithms.pubkeyAccepted,
        algorithms: algorithms.transport,
        ...rekeyOptions(config),
      },
      policy: watchedPolicy,
      maxAuthTries: config.maxAuthTries,
      banner: readBanner(config, log),
      peer: { address: peer.address, port: peer.port },
      onAuthenticated: (result, connection) => {
        clearTimeout(graceTimer);
        user = result.user;
        link.authenticated(result.user);
        const userConfig = policy.config; // with the user's Match blocks applied
        clientAlive = startClientAlive({
          interval: userConfig.clientAliveInterval,
          countMax: userConfig.clientAliveCountMax,
          connection,
          log,
          remote: `user ${result.user} ${peer.address} port ${peer.port}`,
          close: () => endpoint.disconnect(DisconnectReason.BY_APPLICATION, 'Timeout, client not responding'),
        });
        policy.settle(result.publicKey);
        const account = policy.account!;
        try {
          startSession(account);
        } catch (e) {
          log.error(`session setup for ${account.name} failed: ${(e as Error).message}`);
          endpoint.disconnect(DisconnectReason.BY_APPLICATION, 'session setup failed');
          return;
        }
        return sessionConnectionHandler(
          {
            account,
            config: userConfig,
            client: { address: peer.address, port: peer.port },
            server: { address: peer.localAddress, port: peer.localPort },
            keyOptions: policy.keyEntry?.options,
            lastLogin: policy.lastLogin,
            log,
          },
          connection,
        );
      },
    },
    env,
    streamIO(peer.output, (error) => {
      clearTimeout(graceTimer);
      clientAlive?.stop();
      logConnectionEnd(log, error, { user, address: peer.address, port: peer.port });
      // The status tells the listener how the connection ended (see exit-status.ts).
      const status = graceExceeded ? EXIT_LOGIN_GRACE : sessionExitStatus({ authenticated: user !== undefined, ...attempts });
      process.exitCode = status; // also when the process ends by itself before the timers below
      // Give the last bytes (our DISCONNECT) a moment to leave, then go.
      peer.output.once('finish', () => setTimeout(() => process.exit(status), 10).unref());
      setTimeout(() => process.exit(status), 2000).unref();
    }),
  );
  if (config.loginGraceTime > 0) {
    graceTimer = setTimeout(() => {
      graceExceeded = true;
      log.info(`Timeout before authentication for ${peer.address} port ${peer.port}`);
      endpoint.disconnect(DisconnectReason.PROTOCOL_ERROR, 'Timeout before authentication');
    }, config.loginGraceTime * 1000);
    graceTimer.unref();
  }
  if (config.rekeyLimit.seconds > 0) {
    // RekeyLimit's time part also applies to an idle connection, as in sshd.
    setInterval(() => endpoint.transport.rekey(), config.rekeyLimit.seconds * 1000).unref();
  }
  // Every read from the client, lent or not, is also a sign of life for ClientAliveInterval.
  const sink: BorrowingSink = {
    receive(chunk) {
      clientAlive?.heard();
      endpoint.receive(chunk);
    },
    receiveBorrowed(chunk) {
      clientAlive?.heard();
      endpoint.receiveBorrowed(chunk);
    },
    end: () => endpoint.end(),
  };
  if (peer.reads) feedBorrowedFrom(peer.input, peer.reads, sink);
  else feedFrom(peer.input, sink);
  endpoint.start();
}

exitOnCrash('tsshd-session');
// Pre-started by tsshd: everything above is loaded; the connection comes over the channel. Else it is fd 0/1.
if (hasListenerChannel()) {
  void receiveConnection(() => warmUp(process.argv.slice(2))).then((c) => main(peerStreamFromSocket(c.socket, c.reads)));
}
else {
  main(openPeerStream());
  outputPipes.prepareLater(); // while the handshake runs
}
