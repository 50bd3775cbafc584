// Every algorithm we offer by default that OpenSSH also speaks, each once, with the tssh program against OpenSSH's
// sshd: each KEX (default cipher), each cipher, each MAC (with a CTR cipher), each host key algorithm, compression
// and RekeyLimit, all forced with -o KexAlgorithms, -o HostKeyAlgorithms, -c and -m, each moving 1 MiB both ways.
// The host key loop runs both ways and follows what `tssh -Q` and `ssh -Q` both list and the host keys the test
// servers hold. (OpenSSH's ssh against tsshd for each KEX, cipher and MAC: kex-openssh, openssh-client-to-tsshd.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { keyTypeForSignatureAlgorithm } from '@tssh/ssh-protocol/keys';
import { CIPHERS, defaultAlgorithms } from '@tssh/ssh-protocol/transport';
import { BIN, peerBinary, run, tempDir, type RunResult } from '../helpers/processes.js';
import { sshArgs, startOpenSshd, startTsshd, type RunningServer } from '../helpers/servers.js';

const ssh = peerBinary('/usr/bin/ssh');
const sshd = peerBinary('/usr/sbin/sshd');

const lines = (r: RunResult): string[] => r.stdout.toString().split('\n').filter(Boolean);
const ours = async (kind: string): Promise<string[]> => lines(await run(process.execPath, [BIN.tssh, '-Q', kind]));
const theirs = async (kind: string): Promise<string[]> => (ssh.skip ? [] : lines(await run('ssh', ['-Q', kind])));

const DEFAULTS = defaultAlgorithms();
const OURS = { kex: await ours('kex'), key: await ours('key'), sig: await ours('key-sig') };
const THEIRS = { kex: await theirs('kex'), key: await theirs('key'), sig: await theirs('key-sig') };

/** ssh-keygen arguments for a host key of each type; a type missing here gets no host key, and its test is skipped. */
const KEYGEN: Readonly<Record<string, readonly string[]>> = {
  'ecdsa-sha2-nistp256': ['-t', 'ecdsa', '-b', '256'],
  'ecdsa-sha2-nistp384': ['-t', 'ecdsa', '-b', '384'],
  'ecdsa-sha2-nistp521': ['-t', 'ecdsa', '-b', '521'],
  'ssh-rsa': ['-t', 'rsa', '-b', '2048'],
};
const keys = tempDir('tssh-matrix-keys-');
/** Key types both sides implement; ssh-ed25519 is the test servers' own host key. */
const HOST_KEY_TYPES = OURS.key.filter((t) => THEIRS.key.includes(t) && (t === 'ssh-ed25519' || KEYGEN[t] !== undefined));
const hostKeyLines = (): string[] => HOST_KEY_TYPES.filter((t) => t !== 'ssh-ed25519').map((t) => `HostKey ${join(keys.path, t)}`);

let hostKeysMade: Promise<void> | undefined;
/** The host keys, made once for both servers. */
function makeHostKeys(): Promise<void> {
  hostKeysMade ??= (async () => {
    for (const type of HOST_KEY_TYPES.filter((t) => t !== 'ssh-ed25519')) {
      const r = await run('ssh-keygen', ['-q', ...KEYGEN[type], '-N', '', '-C', `host ${type}`, '-f', join(keys.path, type)]);
      if (r.code !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
    }
  })();
  return hostKeysMade;
}

/** Why a name cannot be tested here, or false. */
function skipUnless(peer: { skip: string | false }, ...checks: Array<[boolean, string]>): string | false {
  if (peer.skip) return peer.skip;
  const failed = checks.find(([ok]) => !ok);
  return failed ? failed[1] : false;
}

/** A host key algorithm is tested when both sides list it and a host key of its type is on the servers. */
function hostKeySkip(peer: { skip: string | false }, algorithm: string): string | false {
  const type = keyTypeForSignatureAlgorithm(algorithm)?.name ?? '?';
  return skipUnless(
    peer,
    [OURS.sig.includes(algorithm), `tssh -Q key-sig does not list ${algorithm}`],
    [THEIRS.sig.includes(algorithm), `ssh -Q key-sig does not list ${algorithm}`],
    [HOST_KEY_TYPES.includes(type), `no ${type} host key for the test servers`],
  );
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Runs `cat` with 1 MiB of random input: it must come back whole. */
async function roundTrip(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  const data = randomBytes(1 << 20);
  const r = await run(file, [...args, 'cat'], { input: data, env, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.length, data.length);
  assert.equal(sha(r.stdout), sha(data));
  return r;
}

interface Choice {
  kex: string;
  hostKey: string;
  cipher: string;
  mac: string;
}
const BASE: Choice = { kex: 'curve25519-sha256', hostKey: 'ssh-ed25519', cipher: DEFAULTS.ciphers[0], mac: DEFAULTS.macs[0] };

/** The debug1 lines of a key exchange that chose exactly `c` (AEAD ciphers carry their own MAC). */
function assertChosen(output: string, c: Choice, compression = 'none'): void {
  const stderr = output.replaceAll('\r\n', '\n'); // ssh ends its log lines with CR LF
  const mac = CIPHERS.get(c.cipher)?.aead ? '<implicit>' : c.mac;
  for (const line of [
    `debug1: kex: algorithm: ${c.kex}\n`,
    `debug1: kex: host key algorithm: ${c.hostKey}\n`,
    `debug1: kex: server->client cipher: ${c.cipher} MAC: ${mac} compression: ${compression}\n`,
    `debug1: kex: client->server cipher: ${c.cipher} MAC: ${mac} compression: ${compression}\n`,
  ]) {
    assert.ok(stderr.includes(line), `missing ${JSON.stringify(line)} in:\n${stderr}`);
  }
}

const forced = (c: Choice): string[] => ['-o', `KexAlgorithms=${c.kex}`, '-o', `HostKeyAlgorithms=${c.hostKey}`, '-c', c.cipher, '-m', c.mac];

after(() => keys.cleanup());

describe('tssh against OpenSSH sshd, one algorithm at a time', { skip: sshd.skip }, () => {
  let server: RunningServer;
  const home = tempDir('tssh-matrix-home-');
  before(async () => {
    await makeHostKeys();
    // Every default KEX OpenSSH has, not only the ones sshd offers by default.
    const kex = DEFAULTS.kex.filter((k) => THEIRS.kex.includes(k));
    server = await startOpenSshd({ config: [...hostKeyLines(), `KexAlgorithms ${kex.join(',')}`] });
  });
  after(async () => {
    await server?.stop();
    home.cleanup();
  });

  function tssh(c: Choice, extra: string[] = []): string[] {
    return [
      BIN.tssh,
      '-F', 'none',
      '-v',
      '-o', 'StrictHostKeyChecking=accept-new',
      '-o', `UserKnownHostsFile=${join(home.path, 'known_hosts')}`,
      '-i', server.userKey.privateKey,
      '-p', String(server.port),
      ...forced(c),
      ...extra,
      `${server.user}@127.0.0.1`,
    ];
  }
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home.path });

  for (const kex of DEFAULTS.kex) {
    const skip = skipUnless(sshd, [THEIRS.kex.includes(kex), `this OpenSSH does not know ${kex}`]);
    test(`KEX ${kex}`, { skip }, async () => {
      const c = { ...BASE, kex };
      assertChosen((await roundTrip(process.execPath, tssh(c), env())).stderr, c);
    });
  }

  for (const cipher of DEFAULTS.ciphers) {
    test(`cipher ${cipher}`, { skip: sshd.skip }, async () => {
      const c = { ...BASE, cipher };
      assertChosen((await roundTrip(process.execPath, tssh(c), env())).stderr, c);
    });
  }

  for (const mac of DEFAULTS.macs) {
    test(`MAC ${mac} with aes128-ctr`, { skip: sshd.skip }, async () => {
      const c = { ...BASE, cipher: 'aes128-ctr', mac };
      assertChosen((await roundTrip(process.execPath, tssh(c), env())).stderr, c);
    });
  }

  for (const hostKey of DEFAULTS.hostKey) {
    test(`host key algorithm ${hostKey}`, { skip: hostKeySkip(sshd, hostKey) }, async () => {
      const c = { ...BASE, hostKey };
      assertChosen((await roundTrip(process.execPath, tssh(c), env())).stderr, c);
    });
  }

  test('-C: zlib@openssh.com (sshd starts it after authentication), compressible and random data intact', { skip: sshd.skip }, async () => {
    const data = Buffer.concat([Buffer.alloc(1 << 20, 'tssh '), randomBytes(1 << 20)]);
    const r = await run(process.execPath, [...tssh(BASE, ['-C']), 'cat'], { input: data, env: env(), timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sha(r.stdout), sha(data));
    assertChosen(r.stderr, BASE, 'zlib@openssh.com');
  });

  test('RekeyLimit 256K: tssh starts key re-exchanges while 1 MiB moves each way', { skip: sshd.skip }, async () => {
    const r = await roundTrip(process.execPath, tssh(BASE, ['-o', 'RekeyLimit=256K']), env());
    // 1 MiB each way at 256 KiB a key: re-exchanges at about 256, 512 and 768 KiB (more if the directions drift).
    const rekeys = r.stderr.match(/rekey: data limit reached/g)?.length ?? 0;
    assert.ok(rekeys >= 3, `expected a client-started rekey per 256 KiB, saw ${rekeys}:\n${r.stderr}`);
  });

  test('RekeyLimit default 1s: a re-exchange once the keys are a second old', { skip: sshd.skip }, async () => {
    const args = [...tssh(BASE, ['-o', 'RekeyLimit=default 1s']), 'echo before; sleep 2; echo after'];
    const r = await run(process.execPath, args, { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'before\nafter\n');
    assert.match(r.stderr, /rekey: time limit reached/);
  });
});

describe('OpenSSH ssh against tsshd, each host key algorithm', { skip: ssh.skip }, () => {
  let server: RunningServer;
  before(async () => {
    await makeHostKeys();
    server = await startTsshd({ config: hostKeyLines() });
  });
  after(async () => server?.stop());

  for (const hostKey of DEFAULTS.hostKey) {
    test(`host key algorithm ${hostKey}`, { skip: hostKeySkip(ssh, hostKey) }, async () => {
      const c = { ...BASE, hostKey };
      assertChosen((await roundTrip('ssh', sshArgs(server, ['-v', ...forced(c)]))).stderr, c);
    });
  }
});
