// Connections per second: `ssh host true` in a loop for a fixed time, one at a time and 8 at a time, for each
// client/server pair. OpenSSH ssh -> sshd is the reference. A connection counts once its client has exited with 0;
// the rate is completed connections over the time until the last one finished.
import { clientCpuSeconds, printTable, progress, serverCpuSeconds, sleep, startServer, timeClient } from './harness.mjs';

export const title = 'connections per second, sequential and 8 in parallel, and CPU per connection';

const PAIRS = [
  ['ssh', 'sshd'],
  ['ssh', 'tsshd'],
  ['tssh', 'sshd'],
  ['tssh', 'tsshd'],
];

/**
 * Runs `parallel` loops of `client ... true` for `seconds`; returns { rate, done, failed, clientCpu, serverCpu },
 * the CPU figures in seconds for all the connections (each side's whole process tree).
 */
async function loop(client, server, parallel, seconds) {
  const c0 = clientCpuSeconds();
  const s0 = serverCpuSeconds(server);
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  let done = 0;
  let failed = 0;
  let lastError = '';
  const worker = async () => {
    while (performance.now() < until) {
      const r = await timeClient(client, server, ['true']);
      if (r.code === 0) done++;
      else {
        failed++;
        lastError = r.stderr.trim();
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  await sleep(1000); // the server's last connection processes end just after their clients: let them be reaped
  if (failed > 0) progress(`${client} -> ${server.kind} x${parallel}: ${failed} failed, last: ${lastError}`);
  return { rate: done / elapsed, done, failed, clientCpu: clientCpuSeconds() - c0, serverCpu: serverCpuSeconds(server) - s0 };
}

export async function run({ quick }) {
  const seconds = quick ? 3 : 10;
  const servers = { tsshd: await startServer('tsshd'), sshd: await startServer('sshd') };
  const results = [];
  try {
    for (const parallel of [1, 8]) {
      for (const [client, server] of PAIRS) {
        const r = await loop(client, servers[server], parallel, seconds);
        progress(`${client} -> ${server} x${parallel}: ${r.rate.toFixed(1)}/s (${r.done} done, ${r.failed} failed)`);
        results.push({ parallel, pair: `${client} -> ${server}`, ...r });
      }
    }
  } finally {
    await servers.tsshd.stop();
    await servers.sshd.stop();
  }
  const rows = results
    .filter((r) => r.pair !== 'ssh -> sshd')
    .map((r) => {
      const ref = results.find((x) => x.parallel === r.parallel && x.pair === 'ssh -> sshd');
      const failures = r.failed + ref.failed > 0 ? ` (failed: ${r.failed} vs ${ref.failed})` : '';
      const mode = r.parallel === 1 ? 'sequential' : `${r.parallel} parallel`;
      return { name: `${mode}  ${r.pair}${failures}`, tssh: r.rate, openssh: ref.rate };
    });
  // CPU per connection over both runs of a pair; each of our programs against its OpenSSH counterpart.
  const perConnection = (pair, side) => {
    const rs = results.filter((r) => r.pair === pair);
    return (1000 * rs.reduce((a, r) => a + r[side], 0)) / rs.reduce((a, r) => a + r.done + r.failed, 0);
  };
  const base = { client: perConnection('ssh -> sshd', 'clientCpu'), server: perConnection('ssh -> sshd', 'serverCpu') };
  printTable({
    title: 'CPU time per connection (same runs)',
    unit: 'CPU ms',
    better: 'lower',
    note:
      'user + system milliseconds per `true` connection, over the sequential and the parallel runs together.\n' +
      'client: tssh -> sshd against ssh -> sshd; server: ssh -> tsshd against ssh -> sshd (listener, connection\n' +
      'processes, the remote bash; a tsshd pre-started worker is charged to the connection that takes it).\n' +
      'Unlike connections per second on 2 shared cores, this does not depend on what else the machine is doing.',
    rows: [
      { name: 'client tssh vs ssh', tssh: perConnection('tssh -> sshd', 'clientCpu'), openssh: base.client, digits: 0 },
      { name: 'server tsshd vs sshd', tssh: perConnection('ssh -> tsshd', 'serverCpu'), openssh: base.server, digits: 0 },
      {
        name: 'both: tssh -> tsshd vs ssh -> sshd',
        tssh: perConnection('tssh -> tsshd', 'clientCpu') + perConnection('tssh -> tsshd', 'serverCpu'),
        openssh: base.client + base.server,
        digits: 0,
      },
    ],
  });
  printTable({
    title: `Connections per second (ssh ... true for ${seconds} s)`,
    unit: 'conn/s',
    better: 'higher',
    note:
      `completed \`true\` connections per second of wall time, with a new client process each (its start-up counts).\n` +
      `"openssh" is ssh -> sshd run the same way; "tssh" is the combination named.`,
    rows,
  });
}
