// tssh's algorithm choices as real processes against our tsshd: -Q, -C, known host key types first, and a
// negotiation that fails (no common cipher), which each side ends with a DISCONNECT naming both lists and
// reports in OpenSSH's words.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { decodeDisconnect } from '@tssh/ssh-protocol/transport';
import { DisconnectReason, MSG } from '@tssh/ssh-protocol/wire';
import { waitForLog } from '../helpers/openssh-login.js';
import { PlainPeer, plainKexInit } from '../helpers/plain-peer.js';
import { BIN, run, tempDir } from '../helpers/processes.js';
import { startTsshd, type RunningServer } from '../helpers/servers.js';

const home = tempDir('tssh-home-');
const keys = tempDir('tssh-algorithm-keys-');
after(() => {
  home.cleanup();
  keys.cleanup();
});
const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home.path });

function tsshArgs(server: RunningServer, knownHosts: string, extra: string[] = []): string[] {
  return [
    BIN.tssh,
    '-F', 'none',
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-i', server.userKey.privateKey,
    '-p', String(server.port),
    ...extra,
    `${server.user}@127.0.0.1`,
  ];
}

/** The `[127.0.0.1]:PORT TYPE BASE64` line of a .pub file. */
const knownLine = (server: RunningServer, pub: string): string =>
  `[127.0.0.1]:${server.port} ${readFileSync(pub, 'latin1').split(' ').slice(0, 2).join(' ')}\n`;

test('-Q lists one name a line on stdout; an unknown kind is ssh\'s message and 255', async () => {
  const r = await run(process.execPath, [BIN.tssh, '-Q', 'cipher-auth']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), 'chacha20-poly1305@openssh.com\naes128-gcm@openssh.com\naes256-gcm@openssh.com\n');
  const bad = await run(process.execPath, [BIN.tssh, '-Q', 'ciphers-please']);
  assert.equal(bad.code, 255);
  assert.equal(bad.stderr, 'Unsupported query "ciphers-please"\n');
  assert.equal(bad.stdout.length, 0);
});

describe('against a tsshd with an ED25519 and an ECDSA host key', () => {
  let server: RunningServer;
  const ecdsa = join(keys.path, 'host_ecdsa');
  before(async () => {
    const made = await run(process.execPath, [BIN.keygen, '-q', '-t', 'ecdsa', '-N', '', '-f', ecdsa]);
    assert.equal(made.code, 0, made.stderr);
    server = await startTsshd({ config: [`HostKey ${ecdsa}`] });
  });
  after(async () => server?.stop());

  test('only the ECDSA key is known: tssh asks for it first and connects under strict checking', async () => {
    const known = join(home.path, 'known_ecdsa');
    writeFileSync(known, knownLine(server, `${ecdsa}.pub`));
    const r = await run(process.execPath, [...tsshArgs(server, known, ['-vvv', '-o', 'StrictHostKeyChecking=yes']), 'echo ok'], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'ok\n');
    assert.match(r.stderr, /debug3: order_hostkeyalgs: prefer hostkeyalgs: ecdsa-sha2-nistp256,ssh-ed25519,/);
    assert.match(r.stderr, /debug1: kex: host key algorithm: ecdsa-sha2-nistp256\n/);
    assert.match(r.stderr, /is known and matches the ECDSA host key/);
  });

  test('a configured HostKeyAlgorithms is offered as written: the ED25519 key comes, and is unknown', async () => {
    const known = join(home.path, 'known_ecdsa_only');
    writeFileSync(known, knownLine(server, `${ecdsa}.pub`));
    const args = tsshArgs(server, known, ['-o', 'StrictHostKeyChecking=yes', '-o', 'HostKeyAlgorithms=ssh-ed25519,ecdsa-sha2-nistp256']);
    const r = await run(process.execPath, [...args, 'true'], { env: env() });
    assert.equal(r.code, 255);
    assert.equal(r.stderr, 'No ED25519 host key is known for 127.0.0.1 and you have requested strict checking.\nHost key verification failed.\n');
  });

  test('-C: zlib@openssh.com both ways, 1 MiB of random and 1 MiB of text intact', async () => {
    const known = join(home.path, 'known_compression');
    const data = Buffer.concat([randomBytes(1 << 20), Buffer.alloc(1 << 20, 'compress me ')]);
    const r = await run(process.execPath, [...tsshArgs(server, known, ['-v', '-C', '-o', 'StrictHostKeyChecking=accept-new']), 'cat'], {
      env: env(),
      input: data,
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(createHash('sha256').update(r.stdout).digest('hex'), createHash('sha256').update(data).digest('hex'));
    assert.match(r.stderr, /debug1: kex: server->client cipher: \S+ MAC: \S+ compression: zlib@openssh\.com\n/);
    assert.match(r.stderr, /debug1: kex: client->server cipher: \S+ MAC: \S+ compression: zlib@openssh\.com\n/);
  });
});

describe('no common cipher', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTsshd({ config: ['Ciphers aes256-gcm@openssh.com'] });
  });
  after(async () => server?.stop());

  test('tssh -c aes128-ctr: OpenSSH\'s line with the server\'s offer; tsshd logs both lists', async () => {
    const known = join(home.path, 'known_nomatch');
    const r = await run(process.execPath, [...tsshArgs(server, known, ['-c', 'aes128-ctr']), 'true'], { env: env() });
    assert.equal(r.code, 255);
    assert.equal(r.stderr, `Unable to negotiate with 127.0.0.1 port ${server.port}: no matching cipher found. Their offer: aes256-gcm@openssh.com\n`);
    await waitForLog(
      server,
      /Unable to negotiate with 127\.0\.0\.1 port \d+: no matching cipher found\. Their offer: aes128-ctr \(ours: aes256-gcm@openssh\.com\) \[preauth\]/,
    );
  });

  test('tsshd answers a KEXINIT it cannot meet with its own KEXINIT, then DISCONNECT (key exchange failed)', async () => {
    const socket = connect(server.port, '127.0.0.1');
    const peer = new PlainPeer(socket);
    try {
      peer.sendVersion();
      peer.send(plainKexInit({ ciphers: ['aes128-ctr', 'aes192-ctr'] }));
      assert.match(await peer.version(), /^SSH-2\.0-/);
      assert.equal((await peer.payload())?.[0], MSG.KEXINIT);
      const last = await peer.payload();
      assert.equal(last?.[0], MSG.DISCONNECT);
      assert.deepEqual(decodeDisconnect(last), {
        reason: DisconnectReason.KEY_EXCHANGE_FAILED,
        description: 'no matching cipher found: client aes128-ctr,aes192-ctr server aes256-gcm@openssh.com',
      });
      assert.equal(await peer.payload(), undefined, 'nothing after the DISCONNECT');
    } finally {
      socket.destroy();
    }
  });
});

test('tssh answers a server KEXINIT it cannot meet with DISCONNECT (key exchange failed) naming both lists', async () => {
  const seen: Promise<Uint8Array[]>[] = [];
  const server: Server = createServer((socket: Socket) => {
    const peer = new PlainPeer(socket);
    peer.sendVersion('SSH-2.0-OpenSSH_9.9');
    peer.send(plainKexInit({ ciphers: ['aes256-gcm@openssh.com'] }));
    seen.push(
      (async () => {
        await peer.version();
        const payloads: Uint8Array[] = [];
        for (let p = await peer.payload(); p !== undefined; p = await peer.payload()) payloads.push(p);
        return payloads;
      })(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const args = [BIN.tssh, '-F', 'none', '-o', 'UserKnownHostsFile=/dev/null', '-c', 'aes128-ctr,aes192-ctr', '-p', String(port), '127.0.0.1', 'true'];
    const r = await run(process.execPath, args, { env: env() });
    assert.equal(r.code, 255);
    assert.equal(r.stderr, `Unable to negotiate with 127.0.0.1 port ${port}: no matching cipher found. Their offer: aes256-gcm@openssh.com\n`);
    assert.equal(seen.length, 1);
    const payloads = await seen[0];
    assert.deepEqual(
      payloads.map((p) => p[0]),
      [MSG.KEXINIT, MSG.DISCONNECT],
    );
    assert.deepEqual(decodeDisconnect(payloads[1]), {
      reason: DisconnectReason.KEY_EXCHANGE_FAILED,
      description: 'no matching cipher found: client aes128-ctr,aes192-ctr server aes256-gcm@openssh.com',
    });
  } finally {
    server.close();
  }
});
