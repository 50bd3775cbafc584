#!/usr/bin/env node
// The CPU our protocol code spends per GiB of channel data, without sockets or processes (not a test, not part of
// run.mjs): a server and a client endpoint back to back in this process, bytes handed over once per turn of the event
// loop in one chunk (as a socket read would), one session channel, N MiB written by one side in 64 KiB pieces and
// read by the other. The figure is both sides' work together: framing, sealing, opening, channel bookkeeping.
// Usage: node scripts/bench/packet-path.mjs [--cipher NAME] [--mib N] [--direction down|up] [--rounds N]
import { ClientEndpoint, ServerEndpoint } from '@tssh/ssh-protocol/endpoint';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { Ed25519PrivateKey } from '@tssh/ssh-protocol/keys';
import { silentLogger } from '@tssh/ssh-protocol/wire';

function options(argv) {
  const o = { cipher: 'aes128-gcm@openssh.com', mib: 512, direction: 'down', rounds: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--cipher') o.cipher = v;
    else if (k === '--mib') o.mib = Number(v);
    else if (k === '--direction') o.direction = v;
    else if (k === '--rounds') o.rounds = Number(v);
    else throw new Error(`unknown argument ${k}`);
  }
  return o;
}

/** An EndpointIO that hands everything output in one turn to `deliver` as one chunk on the next turn. */
function batchedOutput(deliver) {
  let pieces = [];
  return {
    output(bytes) {
      if (pieces.length === 0) setImmediate(flush);
      pieces.push(bytes);
    },
    closed() {},
  };
  function flush() {
    const list = pieces;
    pieces = [];
    deliver(list.length === 1 ? list[0] : Buffer.concat(list));
  }
}

let channelAccepted;
const serverChannel = new Promise((resolve) => (channelAccepted = (ch) => (resolve(ch), ch)));

async function connectedPair(cipher) {
  const env = { random: systemRandom, now: () => Date.now(), log: silentLogger };
  const hostKey = new Ed25519PrivateKey(env.random(32), 'host');
  const userKey = new Ed25519PrivateKey(env.random(32), 'user');
  let server;
  let client;
  let serverConn;
  const authed = new Promise((resolve) => (serverConn = resolve));
  server = new ServerEndpoint(
    {
      transport: { hostKeys: [hostKey], serverSigAlgs: ['ssh-ed25519'] },
      policy: {
        userValid: () => true,
        methodsFor: () => [['publickey']],
        acceptedAlgorithms: ['ssh-ed25519'],
        checkPublicKey: () => true,
      },
      peer: { address: '127.0.0.1', port: 1 },
      onAuthenticated: (_r, conn) => {
        serverConn(conn);
        return { onChannelOpen: (open) => channelAccepted(open.accept()) };
      },
    },
    env,
    batchedOutput((b) => client.receive(b)),
  );
  client = new ClientEndpoint(
    {
      transport: { verifyHostKey: () => true, algorithms: { ciphers: [cipher] } },
      auth: {
        username: 'user',
        credentials: { identities: () => [{ publicKey: userKey.publicKey, sign: async (d, a) => userKey.sign(d, a) }] },
      },
    },
    env,
    batchedOutput((b) => server.receive(b)),
  );
  server.start();
  client.start();
  const { connection } = await client.ready;
  const conn = await authed;
  return { clientConnection: connection, serverConnection: conn };
}

async function transfer(sender, receiver, bytes) {
  const piece = Buffer.alloc(64 * 1024, 0x5a);
  let received = 0;
  const done = new Promise((resolve) => {
    receiver.on('data', (d) => {
      received += d.length;
      if (received >= bytes) resolve();
    });
  });
  let sent = 0;
  const pump = () => {
    while (sent < bytes) {
      sent += piece.length;
      if (!sender.write(piece)) return sender.once('drain', pump);
    }
  };
  pump();
  await done;
}

const o = options(process.argv.slice(2));
const { clientConnection } = await connectedPair(o.cipher);
const clientChannel = await clientConnection.openSession();
const [sender, receiver] = o.direction === 'down' ? [await serverChannel, clientChannel] : [clientChannel, await serverChannel];
const bytes = o.mib * 1024 * 1024;
for (let r = 0; r < o.rounds; r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await transfer(sender, receiver, bytes);
  const cpu = process.cpuUsage(c0);
  const s = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${o.cipher} ${o.direction} ${o.mib} MiB: ${((bytes / (performance.now() - t0)) * 1e-3).toFixed(0)} MB/s, ` +
      `CPU ${((s * 1024) / o.mib).toFixed(2)} s/GiB (user ${((cpu.user / 1e6) * 1024 / o.mib).toFixed(2)})`,
  );
}
process.exit(0);
