// Dropbear both ways, for every algorithm Dropbear offers that we implement, each once: Dropbear's dbclient against
// tsshd, and tssh against a dropbear server, each running `cat` over 1 MiB (checksummed). What Dropbear offers is
// read off the wire (its KEXINIT), so the lists follow the installed version. dbclient cannot choose a KEX or
// host key algorithm: those tests run tsshd-session as dbclient's -J program with the server's lists forced by -o;
// one more goes through the tsshd listener over TCP with the defaults.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { keyTypeForSignatureAlgorithm } from '@tssh/ssh-protocol/keys';
import { CIPHERS, decodeKexInit, type KexInit } from '@tssh/ssh-protocol/transport';
import { PlainPeer } from '../helpers/plain-peer.js';
import { BIN, freePort, peerBinary, run, tempDir, waitForOutput, type RunResult } from '../helpers/processes.js';
import { startTsshd, type RunningServer } from '../helpers/servers.js';
import { TestAccounts, accountsSkip } from '../helpers/test-accounts.js';

const DROPBEAR_BIN = '/usr/sbin/dropbear';
const dropbear = peerBinary(DROPBEAR_BIN);
const dbclient = peerBinary('/usr/bin/dbclient');
const tools = [peerBinary('/usr/bin/dropbearkey'), peerBinary('/usr/bin/dropbearconvert')].find((p) => p.skip)?.skip ?? false;
const work = tempDir('tssh-dropbear-');
after(() => work.cleanup());

const lines = (r: RunResult): string[] => r.stdout.toString().split('\n').filter(Boolean);
const ours = async (kind: string): Promise<string[]> => lines(await run(process.execPath, [BIN.tssh, '-Q', kind]));
const OURS = { kex: await ours('kex'), hostKey: await ours('key-sig'), ciphers: await ours('cipher'), macs: await ours('mac') };

/** The first payload (the KEXINIT) a peer sends, after the identification lines. */
async function kexInitFrom(peer: PlainPeer): Promise<KexInit> {
  peer.sendVersion();
  await peer.version();
  const payload = await peer.payload();
  if (!payload) throw new Error('no KEXINIT');
  return decodeKexInit(payload);
}

/** What dbclient offers: read from a listener that never gets further than KEXINIT. */
async function dbclientOffer(): Promise<KexInit> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const offer = new Promise<KexInit>((resolve, reject) =>
    server.once('connection', (socket) => {
      kexInitFrom(new PlainPeer(socket)).then(resolve, reject).finally(() => socket.destroy());
    }),
  );
  const home = join(work.path, 'offer-home');
  mkdirSync(home, { recursive: true });
  const client = run('dbclient', ['-y', '-p', String(port), 'nobody@127.0.0.1', 'true'], { env: { ...process.env, HOME: home }, timeoutMs: 15_000 });
  try {
    return await offer;
  } finally {
    await client;
    server.close();
  }
}

const DBCLIENT = dbclient.skip ? undefined : await dbclientOffer();

/** dropbearkey arguments for each host key the dropbear server gets (one key per type is all it takes). */
const DROPBEARKEY: ReadonlyArray<readonly string[]> = [
  ['-t', 'ed25519'],
  ['-t', 'ecdsa', '-s', '256'],
  ['-t', 'rsa', '-s', '2048'],
];

/** `-r FILE` for each host key, made once. */
async function dropbearHostKeys(): Promise<string[]> {
  const args: string[] = [];
  for (const [i, keyArgs] of DROPBEARKEY.entries()) {
    const file = join(work.path, `dropbear_host_${i}`);
    const r = await run('dropbearkey', [...keyArgs, '-f', file]);
    if (r.code !== 0) throw new Error(`dropbearkey: ${r.stderr}`);
    args.push('-r', file);
  }
  return args;
}

/** A dropbear server on 127.0.0.1 with these host keys, logging to stderr. */
async function startDropbear(hostKeyArgs: readonly string[]): Promise<{ daemon: ChildProcess; port: number; log(): string }> {
  const port = await freePort();
  const args = ['-F', '-E', '-p', `127.0.0.1:${port}`, '-P', join(work.path, 'dropbear.pid'), ...hostKeyArgs];
  const daemon = spawn(DROPBEAR_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  daemon.stderr!.on('data', (d: Buffer) => (text += d.toString())); // read all along: a full pipe would stall it
  await waitForOutput(daemon, /Not backgrounding/);
  return { daemon, port, log: () => text };
}

/** What a server offers: its KEXINIT. */
async function serverOffer(port: number): Promise<KexInit> {
  const socket = connect(port, '127.0.0.1');
  try {
    return await kexInitFrom(new PlainPeer(socket));
  } finally {
    socket.destroy();
  }
}

const serverSkip = dropbear.skip || tools || accountsSkip;
// Started here, not in before(): the tests are made from what it offers.
const DROPBEAR = serverSkip ? undefined : await startDropbear(await dropbearHostKeys());
const DROPBEAR_OFFER = DROPBEAR ? await serverOffer(DROPBEAR.port) : undefined;
after(async () => {
  const daemon = DROPBEAR?.daemon;
  if (!daemon || daemon.exitCode !== null) return;
  const gone = new Promise((r) => daemon.once('exit', r));
  daemon.kill('SIGTERM');
  await gone;
});

/** Our names among `theirs`, in their order. */
const shared = (theirs: readonly string[] | undefined, mine: readonly string[]): string[] => (theirs ?? []).filter((n) => mine.includes(n));

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Runs `cat` on 1 MiB of random data: it must come back whole. */
async function roundTrip(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
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

/** The debug1 lines (ours, client or server side) of a key exchange that chose exactly `c`, each direction. */
function assertChosen(stderr: string, c: Choice): void {
  const mac = CIPHERS.get(c.cipher)?.aead ? '<implicit>' : c.mac;
  assert.ok(stderr.includes(`debug1: kex: algorithm: ${c.kex}\n`), stderr);
  assert.ok(stderr.includes(`debug1: kex: host key algorithm: ${c.hostKey}\n`), stderr);
  for (const way of ['client->server', 'server->client']) {
    assert.ok(stderr.includes(`debug1: kex: ${way} cipher: ${c.cipher} MAC: ${mac} compression: `), stderr);
  }
}

/** Host key files made by ssh-keygen for tsshd, by key type (ssh-ed25519 is the test server's own). */
const SSH_KEYGEN: Readonly<Record<string, readonly string[]>> = {
  'ecdsa-sha2-nistp256': ['-t', 'ecdsa', '-b', '256'],
  'ecdsa-sha2-nistp384': ['-t', 'ecdsa', '-b', '384'],
  'ecdsa-sha2-nistp521': ['-t', 'ecdsa', '-b', '521'],
  'ssh-rsa': ['-t', 'rsa', '-b', '2048'],
};

describe('Dropbear dbclient against tsshd', { skip: dbclient.skip || tools }, () => {
  const offer = DBCLIENT;
  const base: Choice = {
    kex: shared(offer?.kex, OURS.kex)[0],
    hostKey: 'ssh-ed25519',
    cipher: shared(offer?.cipherC2S, OURS.ciphers)[0],
    mac: shared(offer?.macC2S, OURS.macs)[0],
  };
  const hostKeyTypes = [...new Set(shared(offer?.hostKey, OURS.hostKey).map((a) => keyTypeForSignatureAlgorithm(a)?.name ?? ''))];
  const keyFile = (type: string): string => join(work.path, `tsshd_${type}`);
  let server: RunningServer;
  let dropbearKey: string;
  const home = join(work.path, 'dbclient-home');

  before(async () => {
    const extra = hostKeyTypes.filter((t) => SSH_KEYGEN[t] !== undefined);
    for (const t of extra) {
      const r = await run('ssh-keygen', ['-q', ...SSH_KEYGEN[t], '-N', '', '-f', keyFile(t)]);
      assert.equal(r.code, 0, r.stderr);
    }
    server = await startTsshd({ config: extra.map((t) => `HostKey ${keyFile(t)}`) });
    dropbearKey = join(work.path, 'id_dropbear');
    const converted = await run('dropbearconvert', ['openssh', 'dropbear', server.userKey.privateKey, dropbearKey]);
    assert.equal(converted.code, 0, converted.stderr);
    mkdirSync(home, { recursive: true });
  });
  after(async () => server?.stop());

  const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home });

  /** dbclient with tsshd-session as its -J program, both sides held to `c`. */
  function forced(c: Choice): string[] {
    const session = [
      process.execPath, BIN.tsshdSession, '-i', '-e', '-f', join(server.dir, 'sshd_config'),
      '-o', 'LogLevel=DEBUG1',
      '-o', `KexAlgorithms=${c.kex}`,
      '-o', `HostKeyAlgorithms=${c.hostKey}`,
      '-o', `Ciphers=${c.cipher}`,
      '-o', `MACs=${c.mac}`,
      '-o', 'Compression=no', // dbclient asks for zlib first; the TCP test keeps it
    ].join(' ');
    return ['-y', '-i', dropbearKey, '-c', c.cipher, '-m', c.mac, '-J', session, `${server.user}@127.0.0.1`];
  }

  test('through the listener over TCP, with the defaults', async () => {
    await roundTrip('dbclient', ['-y', '-i', dropbearKey, '-p', String(server.port), `${server.user}@127.0.0.1`], env());
    assert.match(server.log(), new RegExp(`Accepted publickey for ${server.user} from 127\\.0\\.0\\.1 port \\d+ ssh2: ED25519 `));
  });

  for (const kex of shared(offer?.kex, OURS.kex)) {
    test(`KEX ${kex}`, async () => {
      const c = { ...base, kex };
      assertChosen((await roundTrip('dbclient', forced(c), env())).stderr, c);
    });
  }
  for (const cipher of shared(offer?.cipherC2S, OURS.ciphers)) {
    test(`cipher ${cipher}`, async () => {
      const c = { ...base, cipher };
      assertChosen((await roundTrip('dbclient', forced(c), env())).stderr, c);
    });
  }
  const ctr = shared(offer?.cipherC2S, OURS.ciphers).find((n) => n.endsWith('-ctr'));
  for (const mac of shared(offer?.macC2S, OURS.macs)) {
    test(`MAC ${mac} with ${ctr}`, { skip: ctr ? false : 'dbclient offers no CTR cipher' }, async () => {
      const c = { ...base, cipher: ctr!, mac };
      assertChosen((await roundTrip('dbclient', forced(c), env())).stderr, c);
    });
  }
  for (const hostKey of shared(offer?.hostKey, OURS.hostKey)) {
    const type = keyTypeForSignatureAlgorithm(hostKey)?.name ?? '?';
    const skip = type === 'ssh-ed25519' || SSH_KEYGEN[type] !== undefined ? false : `no ${type} host key for tsshd`;
    test(`host key algorithm ${hostKey}`, { skip }, async () => {
      const c = { ...base, hostKey };
      assertChosen((await roundTrip('dbclient', forced(c), env())).stderr, c);
    });
  }
});

describe('tssh against a Dropbear server', { skip: serverSkip }, () => {
  const offer = DROPBEAR_OFFER;
  const accounts = new TestAccounts();
  let user: string;
  const port = DROPBEAR?.port ?? 0;
  const home = join(work.path, 'tssh-home');
  const userKey = join(work.path, 'id_tssh');

  before(async () => {
    mkdirSync(home, { recursive: true });
    const made = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', userKey]);
    assert.equal(made.code, 0, made.stderr);
    // Dropbear reads the user's own ~/.ssh/authorized_keys: a throwaway account has one of its own.
    const account = await accounts.create();
    user = account.name;
    accounts.authorizeKeys(account, [readFileSync(`${userKey}.pub`, 'latin1')]);
  });
  after(() => accounts.removeAll());

  const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home });
  function tssh(c: Choice, extra: string[] = []): string[] {
    return [
      BIN.tssh,
      '-F', 'none',
      '-v',
      '-o', 'StrictHostKeyChecking=accept-new',
      '-o', `UserKnownHostsFile=${join(home, 'known_hosts')}`,
      '-i', userKey,
      '-p', String(port),
      '-o', `KexAlgorithms=${c.kex}`,
      '-o', `HostKeyAlgorithms=${c.hostKey}`,
      '-c', c.cipher,
      '-m', c.mac,
      ...extra,
      `${user}@127.0.0.1`,
    ];
  }
  const names = {
    kex: shared(offer?.kex, OURS.kex),
    hostKey: shared(offer?.hostKey, OURS.hostKey),
    cipher: shared(offer?.cipherS2C, OURS.ciphers),
    mac: shared(offer?.macS2C, OURS.macs),
  };
  /** The first of Dropbear's offer that we implement, per slot. */
  const base: Choice = { kex: names.kex[0], hostKey: names.hostKey[0], cipher: names.cipher[0], mac: names.mac[0] };
  const ctr = names.cipher.find((n) => n.endsWith('-ctr'));

  for (const slot of ['kex', 'hostKey', 'cipher', 'mac'] as const) {
    for (const name of names[slot]) {
      const label = { kex: 'KEX', hostKey: 'host key algorithm', cipher: 'cipher', mac: 'MAC' }[slot];
      const withCtr = slot === 'mac' && ctr !== undefined ? { cipher: ctr } : {};
      test(`${label} ${name}${slot === 'mac' ? ` with ${withCtr.cipher ?? base.cipher}` : ''}`, async () => {
        const c = { ...base, ...withCtr, [slot]: name };
        assertChosen((await roundTrip(process.execPath, tssh(c), env())).stderr, c);
      });
    }
  }

  test('-C: Dropbear\'s zlib@openssh.com, compressible and random data intact', async () => {
    const data = Buffer.concat([Buffer.alloc(1 << 20, 'dropbear '), randomBytes(1 << 20)]);
    const r = await run(process.execPath, [...tssh(base, ['-C']), 'cat'], { input: data, env: env(), timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sha(r.stdout), sha(data));
    assert.match(r.stderr, /debug1: kex: server->client cipher: \S+ MAC: \S+ compression: zlib@openssh\.com\n/);
    assert.match(DROPBEAR!.log(), new RegExp(`Pubkey auth succeeded for '${user}' with ssh-ed25519 key`));
  });
});
