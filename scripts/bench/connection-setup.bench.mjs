// Connection setup: how long the server takes from accept to its identification line, and how long a whole
// `ssh host true` takes (client start, key exchange, publickey auth, session, exit), median and p90.
// OpenSSH ssh -> sshd (and sshd's identification line) is the reference.
import { connect } from 'node:net';
import { median, percentile, printTable, progress, startServer, timeClientOk } from './harness.mjs';

export const title = 'connection setup: identification line and `ssh true` (ms)';

const PROBE_GAP_MS = 250;

const PAIRS = [
  ['ssh', 'sshd'],
  ['ssh', 'tsshd'],
  ['tssh', 'sshd'],
  ['tssh', 'tsshd'],
];

/** Milliseconds from the TCP connection being established to the server's whole identification line. */
function identificationTime(port) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let t0 = 0;
    let seen = '';
    const timer = setTimeout(() => fail(new Error('no identification line within 10 s')), 10_000);
    const fail = (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    socket.on('connect', () => (t0 = performance.now()));
    socket.on('data', (d) => {
      seen += d.toString('latin1');
      if (/^SSH-[^\n]*\n/m.test(seen)) {
        const ms = performance.now() - t0;
        clearTimeout(timer);
        socket.destroy();
        resolve(ms);
      }
    });
    socket.on('error', fail);
    socket.on('close', () => fail(new Error(`closed before an identification line: ${JSON.stringify(seen)}`)));
  });
}

export async function run({ quick }) {
  const runs = quick ? 5 : 20;
  const servers = { tsshd: await startServer('tsshd'), sshd: await startServer('sshd') };
  const ident = {};
  const setup = {};
  try {
    for (const kind of ['sshd', 'tsshd']) {
      const xs = [];
      for (let i = 0; i < runs; i++) {
        xs.push(await identificationTime(servers[kind].port));
        // One probe every PROBE_GAP_MS: a steady trickle of connections, not a burst (connection-rate does bursts).
        await new Promise((r) => setTimeout(r, PROBE_GAP_MS));
      }
      ident[kind] = xs;
      progress(`accept -> identification line, ${kind}: median ${median(xs).toFixed(1)} ms`);
    }
    // One untimed run per pair first (known_hosts, page cache), then the timed ones, interleaved by pair.
    for (const [client, server] of PAIRS) await timeClientOk(client, servers[server], ['true']);
    for (const [client, server] of PAIRS) setup[`${client} -> ${server}`] = [];
    for (let i = 0; i < runs; i++) {
      for (const [client, server] of PAIRS) {
        setup[`${client} -> ${server}`].push((await timeClientOk(client, servers[server], ['true'])).ms);
      }
    }
    for (const [pair, xs] of Object.entries(setup)) progress(`${pair} true: median ${median(xs).toFixed(0)} ms`);
  } finally {
    await servers.tsshd.stop();
    await servers.sshd.stop();
  }
  const ref = setup['ssh -> sshd'];
  printTable({
    title: `Connection setup (${runs} runs each)`,
    unit: 'ms',
    better: 'lower',
    note:
      `identification line: from TCP connect to the server's SSH-2.0 line ("tssh" = tsshd, "openssh" = sshd),\n` +
      `one probe every ${PROBE_GAP_MS} ms, closed as soon as the line is in.\n` +
      '`true`: wall time of `CLIENT -p PORT root@127.0.0.1 true` (client start-up, kex, publickey auth, exec, exit)\n' +
      'against ssh -> sshd; each client and server with its default algorithms.',
    rows: [
      { name: 'identification line, median', tssh: median(ident.tsshd), openssh: median(ident.sshd) },
      { name: 'identification line, p90', tssh: percentile(ident.tsshd, 90), openssh: percentile(ident.sshd, 90) },
      ...PAIRS.slice(1).flatMap(([client, server]) => {
        const xs = setup[`${client} -> ${server}`];
        return [
          { name: `true  ${client} -> ${server}, median`, tssh: median(xs), openssh: median(ref), digits: 0 },
          { name: `true  ${client} -> ${server}, p90`, tssh: percentile(xs, 90), openssh: percentile(ref, 90), digits: 0 },
        ];
      }),
    ],
  });
}
