// sntrup761x25519-sha512 against OpenSSH 9.2, both ways: OpenSSH's ssh against our tsshd (our server side: the
// encapsulation), and our client transport against OpenSSH's sshd (our client side: key pair and decapsulation).
// Agreeing on K and H with OpenSSH is the proof that our sntrup761 matches its implementation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Transport } from '@tssh/ssh-protocol/transport';
import { DisconnectReason, MSG, SshWriter, type SshError } from '@tssh/ssh-protocol/wire';
import { testEnv } from '../helpers/env.js';
import { peerBinary, run } from '../helpers/processes.js';
import { sshArgs, startOpenSshd, startTsshd, type RunningServer } from '../helpers/servers.js';

const NAMES = ['sntrup761x25519-sha512@openssh.com', 'sntrup761x25519-sha512'];

const ssh = peerBinary('/usr/bin/ssh');
const sshd = peerBinary('/usr/sbin/sshd');
// OpenSSH has spoken the @openssh.com name since 8.5; upstream learnt the plain one in 9.9 (Debian's 9.2 has it
// backported), so only the plain name may be skipped, and only when `ssh -Q kex` does not list it.
const known = ssh.skip ? [] : (await run('ssh', ['-Q', 'kex'])).stdout.toString().split('\n');
const skipFor = (peer: { skip: string | false }, kex: string): string | false =>
  peer.skip || (kex.endsWith('@openssh.com') || known.includes(kex) ? false : `this OpenSSH does not know ${kex}`);
let tsshd: RunningServer | undefined;
let opensshd: RunningServer | undefined;

before(async () => {
  if (!ssh.skip) tsshd = await startTsshd();
  if (!sshd.skip) opensshd = await startOpenSshd({ config: [`KexAlgorithms ${NAMES.filter((n) => !skipFor(sshd, n)).join(',')}`] });
});
after(async () => {
  await tsshd?.stop();
  await opensshd?.stop();
});

for (const kex of NAMES) {
  test(`OpenSSH ssh -> tsshd with ${kex}: 1 MiB through the session, SHA-256 equal`, { skip: skipFor(ssh, kex) }, async () => {
    const data = randomBytes(1 << 20);
    const args = sshArgs(tsshd!, ['-v', '-o', `KexAlgorithms=${kex}`]);
    const r = await run('ssh', [...args, 'sha256sum'], { input: data });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`kex: algorithm: ${kex.replace('.', '\\.')}`));
    assert.equal(r.stdout.toString().split(' ')[0], createHash('sha256').update(data).digest('hex'));
  });
}

/**
 * Our client transport over TCP: resolves with the negotiated method once the server has answered a
 * SERVICE_REQUEST sent under the new keys, which needs both sides to have derived the same keys from K and H.
 */
function clientKex(port: number, kex: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const transport = new Transport({ role: 'client', algorithms: { kex: [kex] }, verifyHostKey: () => true }, testEnv(), {
      output: (bytes) => socket.write(bytes),
      payload: (p) => {
        if (p[0] !== MSG.SERVICE_ACCEPT) return;
        // Settle first: disconnect() reports the close synchronously.
        resolve(transport.negotiated?.kex);
        transport.disconnect(DisconnectReason.BY_APPLICATION, 'done');
        socket.end();
      },
      ready: () => transport.send(new SshWriter().byte(MSG.SERVICE_REQUEST).string('ssh-userauth').toBytes()),
      closed: (e?: SshError) => {
        socket.destroy();
        reject(e ?? new Error('closed before SERVICE_ACCEPT'));
      },
    });
    socket.on('data', (d: Buffer) => transport.receive(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
    socket.on('error', reject);
    socket.on('close', () => transport.end());
    transport.start();
  });
}

for (const kex of NAMES) {
  test(`tssh transport -> OpenSSH sshd with ${kex}`, { skip: skipFor(sshd, kex) }, async () => {
    assert.equal(await clientKex(opensshd!.port, kex), kex);
  });
}
