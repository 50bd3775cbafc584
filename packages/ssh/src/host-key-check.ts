// Checking the server's host key against known_hosts, as ssh's check_host_key does, with StrictHostKeyChecking:
//   yes         only keys already known are accepted;
//   ask         an unknown key is shown and the user is asked on the terminal (only "yes" accepts);
//   accept-new  an unknown key is added without asking;
//   no          an unknown key is added without asking.
// A changed key is refused in every mode. (OpenSSH with `no` goes on with password authentication disabled;
// we refuse, because a changed key is exactly the case where a password must not be typed.)
import type { StrictHostKeyChecking } from '@tssh/ssh-protocol/config';
import { checkKnownHost, fingerprintSha256, formatKnownHostLine, keyTypeLabel, type PublicKey } from '@tssh/ssh-protocol/keys';
import type { ClientLogger } from './client-log.js';
import { appendKnownHost, readKnownHostsFiles } from './known-hosts-files.js';
import { NoTerminalError } from './terminal-prompt.js';

export interface HostKeyPolicy {
  /** The host name as it appears in messages (HostName, without the port). */
  readonly host: string;
  /** The name looked up and recorded in known_hosts: `host` or `[host]:port` (or HostKeyAlias). */
  readonly lookupName: string;
  readonly userKnownHostsFiles: readonly string[];
  readonly globalKnownHostsFiles: readonly string[];
  readonly strictHostKeyChecking: StrictHostKeyChecking;
  readonly batchMode: boolean;
  readonly hashKnownHosts: boolean;
}

export interface HostKeyIo {
  readonly log: ClientLogger;
  /** Text for the user next to a question (stderr). */
  tell(text: string): void;
  /** Asks on the terminal; undefined at end of input; throws NoTerminalError when there is no terminal. */
  ask(prompt: string): Promise<string | undefined>;
  random(n: number): Uint8Array;
}

const BAR = '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@';

/** The question of the product brief; only the exact answer `yes` accepts. */
export const CONFIRM_PROMPT = 'Are you sure you want to continue connecting (yes/no)? ';

export async function checkHostKey(key: PublicKey, policy: HostKeyPolicy, io: HostKeyIo): Promise<boolean> {
  const { log } = io;
  const label = keyTypeLabel(key.type);
  const fp = fingerprintSha256(key);
  log.debug(`Server host key: ${key.type} ${fp}`);
  const files = [...policy.userKnownHostsFiles, ...policy.globalKnownHostsFiles];
  const result = checkKnownHost(readKnownHostsFiles(files, log), policy.lookupName, key);
  switch (result.status) {
    case 'found':
      log.debug(`Host '${policy.lookupName}' is known and matches the ${label} host key.`);
      log.debug(`Found key in ${result.entry.file}:${result.entry.line}`);
      return true;
    case 'revoked':
      for (const line of revokedBlock(label, policy.host)) log.error(line);
      return false;
    case 'changed':
      for (const line of changedBlock(label, fp, policy, `${result.file}:${result.line}`)) log.error(line);
      return false;
    case 'not-found':
      return unknownHost(key, label, fp, policy, io);
  }
}

function revokedBlock(label: string, host: string): string[] {
  return [
    BAR,
    '@       WARNING: REVOKED HOST KEY DETECTED!               @',
    BAR,
    `The ${label} host key for ${host} is marked as revoked.`,
    'This could mean that a stolen key is being used to',
    'impersonate this host.',
  ];
}

function changedBlock(label: string, fp: string, policy: HostKeyPolicy, offending: string): string[] {
  const strict =
    policy.strictHostKeyChecking === 'no'
      ? `Host key for ${policy.host} has changed and tssh refuses changed keys even with StrictHostKeyChecking no.`
      : `Host key for ${policy.host} has changed and you have requested strict checking.`;
  return [
    BAR,
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    BAR,
    'WARNING: HOST IDENTIFICATION HAS CHANGED!',
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    `The fingerprint for the ${label} key sent by the remote host is`,
    `${fp}.`,
    'Please contact your system administrator.',
    `Add correct host key in ${policy.userKnownHostsFiles[0] ?? 'known_hosts'} to get rid of this message.`,
    `Offending ${label} key in ${offending}`,
    strict,
  ];
}

async function unknownHost(
  key: PublicKey,
  label: string,
  fp: string,
  policy: HostKeyPolicy,
  io: HostKeyIo,
): Promise<boolean> {
  switch (policy.strictHostKeyChecking) {
    case 'yes':
      io.log.error(`No ${label} host key is known for ${policy.host} and you have requested strict checking.`);
      return false;
    case 'accept-new':
    case 'no':
      addKey(key, label, policy, io);
      return true;
    case 'ask':
      if (!(await confirm(label, fp, policy, io))) return false;
      addKey(key, label, policy, io);
      return true;
  }
}

async function confirm(label: string, fp: string, policy: HostKeyPolicy, io: HostKeyIo): Promise<boolean> {
  io.tell('Host key not found from the list of known hosts.\n');
  io.tell(`${label} key fingerprint is ${fp}.\n`);
  if (policy.batchMode) {
    io.log.error(`No ${label} host key is known for ${policy.host} and BatchMode forbids asking whether to trust it.`);
    return false;
  }
  let answer: string | undefined;
  try {
    answer = await io.ask(CONFIRM_PROMPT);
  } catch (e) {
    if (!(e instanceof NoTerminalError)) throw e;
    io.log.error(
      `No ${label} host key is known for ${policy.host} and there is no terminal to ask whether to trust it ` +
        '(StrictHostKeyChecking is ask).',
    );
    return false;
  }
  return answer === 'yes';
}

function addKey(key: PublicKey, label: string, policy: HostKeyPolicy, io: HostKeyIo): void {
  const file = policy.userKnownHostsFiles[0];
  const line = formatKnownHostLine(policy.lookupName, key, { hash: policy.hashKnownHosts, random: io.random });
  try {
    if (file === undefined) throw new Error('no UserKnownHostsFile');
    appendKnownHost(file, line);
  } catch (e) {
    io.log.debug(`Cannot add to ${file}: ${(e as Error).message}`);
    io.log.info(`Failed to add the host to the list of known hosts (${file}).`);
    return;
  }
  io.log.info(`Warning: Permanently added '${policy.lookupName}' (${label}) to the list of known hosts.`);
}
