// The resolved client configuration as `ssh -G` prints it: lower-case keyword, value, one per line.

import { effectiveAlgorithms, type AlgorithmCatalog, type AlgorithmKeyword } from './algorithm-list.js';
import type { ForwardSpec } from './forward-spec.js';
import type { ResolvedSshConfig } from './ssh-options.js';

function yesNo(v: boolean): string {
  return v ? 'yes' : 'no';
}

function endpoint(host: string | undefined, port: number | undefined, path: string | undefined): string {
  if (path !== undefined) return path;
  const h = host === undefined ? '' : host.includes(':') ? `[${host}]:` : `${host}:`;
  return `${h}${port}`;
}

function forward(f: ForwardSpec): string {
  const listen = endpoint(f.listenHost, f.listenPort, f.listenPath);
  const connect = f.connectHost !== undefined || f.connectPath !== undefined;
  return connect ? `${listen} ${endpoint(f.connectHost, f.connectPort, f.connectPath)}` : listen;
}

/** Prints `cfg`; algorithm lists are printed in full when `catalog` knows them, else as written. */
export function formatSshConfig(cfg: ResolvedSshConfig, catalog: AlgorithmCatalog = {}): string {
  const out: string[] = [];
  const put = (k: string, v: string | number) => out.push(`${k} ${v}`);
  const algos = (k: string, kind: AlgorithmKeyword) => {
    const known = catalog[kind];
    if (known) put(k, effectiveAlgorithms(kind, cfg[kind], known).join(','));
    else if (cfg[kind]) put(k, cfg[kind].spec);
  };
  put('host', cfg.host);
  put('user', cfg.user);
  put('hostname', cfg.hostName);
  put('port', cfg.port);
  put('addressfamily', cfg.addressFamily);
  put('batchmode', yesNo(cfg.batchMode));
  put('checkhostip', yesNo(cfg.checkHostIp));
  put('compression', yesNo(cfg.compression));
  put('controlmaster', cfg.controlMaster);
  put('exitonforwardfailure', yesNo(cfg.exitOnForwardFailure));
  put('forwardagent', typeof cfg.forwardAgent === 'string' ? cfg.forwardAgent : yesNo(cfg.forwardAgent));
  put('gatewayports', yesNo(cfg.gatewayPorts));
  put('hashknownhosts', yesNo(cfg.hashKnownHosts));
  put('identitiesonly', yesNo(cfg.identitiesOnly));
  put('kbdinteractiveauthentication', yesNo(cfg.kbdInteractiveAuthentication));
  put('passwordauthentication', yesNo(cfg.passwordAuthentication));
  put('pubkeyauthentication', yesNo(cfg.pubkeyAuthentication));
  put('requesttty', cfg.requestTty);
  put('stricthostkeychecking', cfg.strictHostKeyChecking);
  put('tcpkeepalive', yesNo(cfg.tcpKeepAlive));
  put('verifyhostkeydns', cfg.verifyHostKeyDns);
  put('updatehostkeys', cfg.updateHostKeys);
  put('connectionattempts', cfg.connectionAttempts);
  put('numberofpasswordprompts', cfg.numberOfPasswordPrompts);
  put('serveralivecountmax', cfg.serverAliveCountMax);
  put('serveraliveinterval', cfg.serverAliveInterval);
  algos('ciphers', 'ciphers');
  algos('hostkeyalgorithms', 'hostKeyAlgorithms');
  algos('kexalgorithms', 'kexAlgorithms');
  algos('macs', 'macs');
  algos('pubkeyacceptedalgorithms', 'pubkeyAcceptedAlgorithms');
  put('loglevel', cfg.logLevel === 'DEBUG1' ? 'DEBUG' : cfg.logLevel);
  put('preferredauthentications', cfg.preferredAuthentications.join(','));
  if (cfg.bindAddress !== undefined) put('bindaddress', cfg.bindAddress);
  if (cfg.hostKeyAlias !== undefined) put('hostkeyalias', cfg.hostKeyAlias);
  if (cfg.proxyCommand !== undefined) put('proxycommand', cfg.proxyCommand);
  if (cfg.proxyJump !== undefined) put('proxyjump', cfg.proxyJump);
  if (cfg.remoteCommand !== undefined) put('remotecommand', cfg.remoteCommand);
  if (cfg.controlPath !== undefined) put('controlpath', cfg.controlPath);
  if (cfg.identityAgent !== undefined) put('identityagent', cfg.identityAgent);
  cfg.identityFiles.forEach((f) => put('identityfile', f));
  cfg.certificateFiles.forEach((f) => put('certificatefile', f));
  cfg.localForwards.forEach((f) => put('localforward', forward(f)));
  cfg.remoteForwards.forEach((f) => put('remoteforward', forward(f)));
  cfg.dynamicForwards.forEach((f) => put('dynamicforward', forward(f)));
  cfg.sendEnv.forEach((e) => put('sendenv', e));
  if (cfg.setEnv.length > 0) put('setenv', cfg.setEnv.join(' '));
  put('globalknownhostsfile', cfg.globalKnownHostsFiles.join(' ') || 'none');
  put('userknownhostsfile', cfg.userKnownHostsFiles.join(' ') || 'none');
  const a = cfg.addKeysToAgent;
  put('addkeystoagent', a.lifetime === undefined ? a.mode : `${a.mode} ${a.lifetime}`);
  put('connecttimeout', cfg.connectTimeout ?? 'none');
  put('controlpersist', cfg.controlPersist === false ? 'no' : cfg.controlPersist === 0 ? 'yes' : cfg.controlPersist);
  const esc = cfg.escapeChar;
  put('escapechar', esc === undefined ? 'none' : esc < ' ' ? `^${String.fromCharCode(esc.charCodeAt(0) + 64)}` : esc);
  put('rekeylimit', `${cfg.rekeyLimit.bytes} ${cfg.rekeyLimit.seconds}`);
  return out.join('\n') + '\n';
}
