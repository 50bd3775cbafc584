// Every key exchange method OpenSSH 9.2 shares with us, both ways: OpenSSH's ssh against our tsshd (our server
// side), and our client transport against OpenSSH's sshd (our client side). mlkem768x25519-sha256 needs OpenSSH
// 9.9, so only the in-memory tests cover it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Transport } from '@tssh/ssh-protocol/transport';
import { DisconnectReason, MSG, SshWriter, type SshError } from '@tssh/ssh-protocol/wire';
import { peerBinary, run } from '../helpers/processes.js';
import { sshArgs, startOpenSshd, startTsshd, type RunningServer } from '../helpers/servers.js';
import { testEnv } from '../helpers/env.js';

const METHODS = [
  'curve25519-sha256',
  'curve25519-sha256@libssh.org',
  'ecdh-sha2-nistp256',
  'ecdh-sha2-nistp384',
  'ecdh-sha2-nistp521',
  'diffie-hellman-group-exchange-sha256',
  'diffie-hellman-group16-sha512',
  'diffie-hellman-group18-sha512',
  'diffie-hellman-group14-sha256',
  'diffie-hellman-group14-sha1',
  'diffie-hellman-group-exchange-sha1',
  'diffie-hellman-group1-sha1',
];
const KEX_CONFIG = `KexAlgorithms ${METHODS.join(',')}`;

const ssh = peerBinary('/usr/bin/ssh');
const sshd = peerBinary('/usr/sbin/sshd');
let tsshd: RunningServer | undefined;
let opensshd: RunningServer | undefined;

before(async () => {
  if (!ssh.skip) tsshd = await startTsshd({ config: [KEX_CONFIG] });
  if (!sshd.skip) opensshd = await startOpenSshd({ config: [KEX_CONFIG] });
});
after(async () => {
  await tsshd?.stop();
  await opensshd?.stop();
});

for (const kex of METHODS) {
  test(`OpenSSH ssh -> tsshd with ${kex}: 1 MiB each way, SHA-256 equal`, { skip: ssh.skip }, async () => {
    const data = randomBytes(1 << 20);
    const r = await run('ssh', [...sshArgs(tsshd!, ['-o', `KexAlgorithms=${kex}`]), 'cat'], { input: data });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(createHash('sha256').update(r.stdout).digest('hex'), createHash('sha256').update(data).digest('hex'));
  });
}

/**
 * Our client transport over TCP to `port`. Resolves with the negotiated method once the server has answered a
 * SERVICE_REQUEST under the new keys, which proves both directions derived the same keys.
 */
function clientKex(port: number, kex: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const transport = new Transport({ role: 'client', algorithms: { kex: [kex] }, verifyHostKey: () => true }, testEnv(), {
      output: (bytes) => socket.write(bytes),
      payload: (p) => {
        if (p[0] !== MSG.SERVICE_ACCEPT) return;
        const chosen = transport.negotiated?.kex;
        transport.disconnect(DisconnectReason.BY_APPLICATION, 'done');
        socket.end();
        resolve(chosen);
      },
      ready: () => transport.send(new SshWriter().byte(MSG.SERVICE_REQUEST).string('ssh-userauth').toBytes()),
      closed: (e?: SshError) => {
        socket.destroy();
        if (e) reject(e);
      },
    });
    socket.on('data', (d: Buffer) => transport.receive(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
    socket.on('error', reject);
    socket.on('close', () => transport.end());
    transport.start();
  });
}

for (const kex of METHODS) {
  test(`tssh transport -> OpenSSH sshd with ${kex}`, { skip: sshd.skip }, async () => {
    assert.equal(await clientKex(opensshd!.port, kex), kex);
  });
}
