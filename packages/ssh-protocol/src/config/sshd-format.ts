// The effective server configuration as `sshd -T` prints it: lower-case keyword, value, one per line.

import { effectiveAlgorithms, type AlgorithmCatalog, type AlgorithmKeyword } from './algorithm-list.js';
import { listenEndpoints, type SshdSettings } from './sshd-options.js';
import { formatPerSourcePenalties } from './sshd-penalties.js';

function yesNo(v: boolean): string {
  return v ? 'yes' : 'no';
}

function hostPort(host: string, port: number | '*'): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Prints `cfg`; algorithm lists are printed in full when `catalog` knows them, else as written. */
export function formatSshdConfig(cfg: Readonly<SshdSettings>, catalog: AlgorithmCatalog = {}): string {
  const out: string[] = [];
  const put = (k: string, v: string | number) => out.push(`${k} ${v}`);
  const each = (k: string, vs: readonly string[]) => vs.forEach((v) => put(k, v));
  const algos = (k: string, kind: AlgorithmKeyword) => {
    const known = catalog[kind];
    if (known) put(k, effectiveAlgorithms(kind, cfg[kind], known).join(','));
    else if (cfg[kind]) put(k, cfg[kind].spec);
  };
  cfg.ports.forEach((p) => put('port', p));
  put('addressfamily', cfg.addressFamily);
  listenEndpoints(cfg).forEach((e) => put('listenaddress', hostPort(e.host, e.port)));
  put('usepam', yesNo(cfg.usePam));
  put('logingracetime', cfg.loginGraceTime);
  put('maxauthtries', cfg.maxAuthTries);
  put('maxsessions', cfg.maxSessions);
  put('clientaliveinterval', cfg.clientAliveInterval);
  put('clientalivecountmax', cfg.clientAliveCountMax);
  put('permitrootlogin', cfg.permitRootLogin === 'prohibit-password' ? 'without-password' : cfg.permitRootLogin);
  put('pubkeyauthentication', yesNo(cfg.pubkeyAuthentication));
  put('passwordauthentication', yesNo(cfg.passwordAuthentication));
  put('kbdinteractiveauthentication', yesNo(cfg.kbdInteractiveAuthentication));
  put('printmotd', yesNo(cfg.printMotd));
  put('printlastlog', yesNo(cfg.printLastLog));
  put('x11forwarding', yesNo(cfg.x11Forwarding));
  put('permittty', yesNo(cfg.permitTty));
  put('strictmodes', yesNo(cfg.strictModes));
  put('tcpkeepalive', yesNo(cfg.tcpKeepAlive));
  put('permitemptypasswords', yesNo(cfg.permitEmptyPasswords));
  put('compression', yesNo(cfg.compression));
  put('gatewayports', cfg.gatewayPorts);
  put('usedns', yesNo(cfg.useDns));
  put('allowtcpforwarding', cfg.allowTcpForwarding);
  put('allowagentforwarding', yesNo(cfg.allowAgentForwarding));
  put('disableforwarding', yesNo(cfg.disableForwarding));
  put('pidfile', cfg.pidFile ?? 'none');
  algos('ciphers', 'ciphers');
  algos('macs', 'macs');
  put('banner', cfg.banner ?? 'none');
  put('forcecommand', cfg.forceCommand ?? 'none');
  put('chrootdirectory', cfg.chrootDirectory ?? 'none');
  put('versionaddendum', cfg.versionAddendum ?? 'none');
  if (cfg.sshdSessionPath !== undefined) put('sshdsessionpath', cfg.sshdSessionPath);
  algos('kexalgorithms', 'kexAlgorithms');
  algos('hostkeyalgorithms', 'hostKeyAlgorithms');
  algos('pubkeyacceptedalgorithms', 'pubkeyAcceptedAlgorithms');
  put('loglevel', cfg.logLevel === 'DEBUG1' ? 'DEBUG' : cfg.logLevel);
  put('syslogfacility', cfg.syslogFacility);
  put('authorizedkeysfile', cfg.authorizedKeysFiles.length > 0 ? cfg.authorizedKeysFiles.join(' ') : 'none');
  each('hostkey', cfg.hostKeys);
  each('allowusers', cfg.allowUsers);
  each('denyusers', cfg.denyUsers);
  each('allowgroups', cfg.allowGroups);
  each('denygroups', cfg.denyGroups);
  each('acceptenv', cfg.acceptEnv);
  each('setenv', cfg.setEnv);
  const methods = cfg.authenticationMethods;
  put('authenticationmethods', methods === 'any' ? 'any' : methods.map((m) => m.join(',')).join(' '));
  cfg.subsystems.forEach((s) => put('subsystem', `${s.name} ${s.command}`));
  put('maxstartups', `${cfg.maxStartups.start}:${cfg.maxStartups.rate}:${cfg.maxStartups.full}`);
  put('persourcemaxstartups', cfg.perSourceMaxStartups ?? 'none');
  put('persourcenetblocksize', `${cfg.perSourceNetBlockSize.v4}:${cfg.perSourceNetBlockSize.v6}`);
  put('persourcepenalties', formatPerSourcePenalties(cfg.perSourcePenalties));
  put('persourcepenaltyexemptlist', cfg.perSourcePenaltyExemptList ?? 'none');
  put('logformat', cfg.logFormat);
  put('rekeylimit', `${cfg.rekeyLimit.bytes} ${cfg.rekeyLimit.seconds}`);
  const po = cfg.permitOpen;
  put('permitopen', typeof po === 'string' ? po : po.map((e) => hostPort(e.host, e.port)).join(' '));
  const pue = cfg.permitUserEnvironment;
  put('permituserenvironment', typeof pue === 'string' ? pue : yesNo(pue));
  return out.join('\n') + '\n';
}
