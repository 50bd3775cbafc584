// Bulk throughput per cipher, both directions, over loopback: OpenSSH ssh -> sshd is the reference; ssh -> tsshd,
// tssh -> sshd and tssh -> tsshd are set beside it. Wall time around the client process, setup included (its own
// figure is printed apart). Client to server: `head -c N /dev/zero | ssh host 'cat > /dev/null'`; server to client:
// `ssh host 'head -c N /dev/zero' > /dev/null`. A small checked transfer first proves each path moves every byte.
import {
  clientCpuSeconds,
  closeFd,
  devNull,
  GiB,
  inRounds,
  MiB,
  median,
  medians,
  printTable,
  progress,
  runClient,
  serverCpuSeconds,
  sleep,
  startServer,
  timeClientOk,
} from './harness.mjs';

export const title = 'throughput per cipher, both directions (MB/s, CPU s per GiB)';

const CIPHERS = [
  { name: 'chacha20-poly1305@openssh.com', short: 'chacha20-poly1305' },
  { name: 'aes128-gcm@openssh.com', short: 'aes128-gcm' },
  { name: 'aes256-gcm@openssh.com', short: 'aes256-gcm' },
  { name: 'aes128-ctr', mac: 'hmac-sha2-256-etm@openssh.com', short: 'aes128-ctr+hmac-sha2-256-etm' },
];
// The reference first; then each of ours against it.
const PAIRS = [
  ['ssh', 'sshd'],
  ['ssh', 'tsshd'],
  ['tssh', 'sshd'],
  ['tssh', 'tsshd'],
];
const CHECK_BYTES = 3 * MiB + 7;

function algorithmOptions(c) {
  // Both clients take ssh_config keywords; tssh has no -c/-m flags (yet).
  return c.mac ? { Ciphers: c.name, MACs: c.mac } : { Ciphers: c.name };
}

/** Moves CHECK_BYTES each way with counting at the far end, so that a short transfer cannot pass for a fast one. */
async function check(client, server, options) {
  const up = await runClient(client, server, ['wc -c'], { options, input: Buffer.alloc(CHECK_BYTES) });
  if (up.code !== 0 || up.stdout.toString().trim() !== String(CHECK_BYTES)) {
    throw new Error(`${client} -> ${server.kind} ${options.Ciphers}: upload check got "${up.stdout}" exit ${up.code}\n${up.stderr}`);
  }
  const down = await runClient(client, server, [`head -c ${CHECK_BYTES} /dev/zero`], { options });
  if (down.code !== 0 || down.stdout.length !== CHECK_BYTES) {
    throw new Error(`${client} -> ${server.kind} ${options.Ciphers}: download check got ${down.stdout.length} bytes exit ${down.code}\n${down.stderr}`);
  }
}

async function upload(client, server, options, bytes) {
  const r = await timeClientOk(client, server, ['cat > /dev/null'], {
    options,
    feed: ['head', ['-c', String(bytes), '/dev/zero']],
  });
  return r.ms;
}

async function download(client, server, options, bytes) {
  const out = devNull();
  try {
    const r = await timeClientOk(client, server, [`head -c ${bytes} /dev/zero`], { options, stdout: out });
    return r.ms;
  } finally {
    closeFd(out);
  }
}

const mbps = (bytes, ms) => bytes / ms / 1e3;

/**
 * Runs one timed transfer; returns its MB/s and the CPU seconds per GiB the client and the server spent on it
 * (each side's whole connection: start-up, kex, the remote command or the local feeder, which are alike for both).
 */
async function transfer(move, client, server, options, bytes) {
  const c0 = clientCpuSeconds();
  const s0 = serverCpuSeconds(server);
  const ms = await move(client, server, options, bytes);
  await sleep(500); // the server's connection process ends just after the client: let it be reaped
  const perGiB = GiB / bytes;
  return {
    mbps: mbps(bytes, ms),
    clientCpu: (clientCpuSeconds() - c0) * perGiB,
    serverCpu: (serverCpuSeconds(server) - s0) * perGiB,
  };
}

/**
 * Each cipher's combinations are measured in `rounds` rounds, one upload and one download each per round, in
 * PAIRS order and then the reverse: the same 1 GiB through the same pair varies by 20 % and more from run to run
 * on these shared cores, and a drift in the machine's speed then falls on every combination alike.
 */
export async function run({ quick, rounds: asked }) {
  const bytes = quick ? 64 * MiB : GiB;
  const setupRuns = quick ? 1 : 3;
  const rounds = asked ?? (quick ? 1 : 3);
  const servers = { tsshd: await startServer('tsshd'), sshd: await startServer('sshd') };
  const results = []; // { cipher, pair, up, down, setup }: medians, MB/s and CPU per GiB, setup in ms
  try {
    for (const c of CIPHERS) {
      const options = algorithmOptions(c);
      const runs = new Map(PAIRS.map(([client, server]) => [`${client} -> ${server}`, { up: [], down: [], setups: [] }]));
      await inRounds(PAIRS, rounds, async ([client, server], round, label) => {
        const s = servers[server];
        const pair = `${client} -> ${server}`;
        const r = runs.get(pair);
        if (round === 0) {
          await check(client, s, options);
          for (let i = 0; i < setupRuns; i++) r.setups.push((await timeClientOk(client, s, ['true'], { options })).ms);
        }
        const step = `${c.short} ${pair}${label}`;
        progress(`${step}: upload ${bytes / MiB} MiB`);
        const up = await transfer(upload, client, s, options, bytes);
        progress(`${step}: download ${bytes / MiB} MiB`);
        const down = await transfer(download, client, s, options, bytes);
        progress(
          `${step}: ${up.mbps.toFixed(0)} / ${down.mbps.toFixed(0)} MB/s, ` +
            `CPU s/GiB up ${up.clientCpu.toFixed(1)}+${up.serverCpu.toFixed(1)}, ` +
            `down ${down.clientCpu.toFixed(1)}+${down.serverCpu.toFixed(1)}`,
        );
        r.up.push(up);
        r.down.push(down);
      });
      for (const [pair, r] of runs) {
        const up = medians(r.up);
        const down = medians(r.down);
        const spread = (xs) => xs.map((x) => x.mbps.toFixed(0)).join(' ');
        if (rounds > 1) progress(`${c.short} ${pair}: MB/s up ${spread(r.up)}, down ${spread(r.down)}; medians ${up.mbps.toFixed(0)} / ${down.mbps.toFixed(0)}`);
        results.push({ cipher: c.short, pair, up, down, setup: median(r.setups) });
      }
    }
  } finally {
    await servers.tsshd.stop();
    await servers.sshd.stop();
  }

  const ref = (c) => results.find((r) => r.cipher === c.short && r.pair === 'ssh -> sshd');
  const rows = (get, digits = 1) =>
    CIPHERS.flatMap((c) =>
      results
        .filter((r) => r.cipher === c.short && r !== ref(c))
        .map((r) => ({ name: `${c.short}  ${r.pair}`, tssh: get(r), openssh: get(ref(c)), digits })),
    );
  // Each of our programs against its OpenSSH counterpart, with OpenSSH at the other end in both cases.
  const find = (c, pair) => results.find((r) => r.cipher === c.short && r.pair === pair);
  const cpuRows = CIPHERS.flatMap((c) =>
    ['up', 'down'].flatMap((dir) => {
      const word = dir === 'up' ? 'upload' : 'download';
      const base = find(c, 'ssh -> sshd')[dir];
      return [
        { name: `${c.short}  ${word}  client tssh vs ssh`, tssh: find(c, 'tssh -> sshd')[dir].clientCpu, openssh: base.clientCpu, digits: 2 },
        { name: `${c.short}  ${word}  server tsshd vs sshd`, tssh: find(c, 'ssh -> tsshd')[dir].serverCpu, openssh: base.serverCpu, digits: 2 },
      ];
    }),
  );
  const size = `${bytes / MiB} MiB`;
  const each = rounds === 1 ? 'one transfer per combination' : `the median of ${rounds} interleaved rounds (one transfer per combination each)`;
  const note = (dir) =>
    `${size} ${dir}, ${each};\nMB/s = 10^6 bytes per second of wall time around the client, connection setup included.\n` +
    `"openssh" is ssh -> sshd with the same cipher; "tssh" is the combination named.`;
  printTable({ title: `Throughput client -> server (cat > /dev/null)`, unit: 'MB/s', better: 'higher', note: note('uploaded'), rows: rows((r) => r.up.mbps) });
  printTable({ title: `Throughput server -> client (head -c N /dev/zero)`, unit: 'MB/s', better: 'higher', note: note('downloaded'), rows: rows((r) => r.down.mbps) });
  printTable({
    title: 'CPU time per GiB moved (same transfers)',
    unit: 'CPU s/GiB',
    better: 'lower',
    note:
      'user + system seconds per GiB of one side of the transfers above (medians), whole connection included (start-up, kex).\n' +
      'client: tssh -> sshd against ssh -> sshd, the local `head` feeder included on uploads (alike for both);\n' +
      'server: ssh -> tsshd against ssh -> sshd, listener + connection process + the remote command (alike for both).\n' +
      'Unlike MB/s on 2 shared cores, this does not depend on what else the machine is doing.',
    rows: cpuRows,
  });
  printTable({
    title: 'Setup time of the same connections (ssh ... true)',
    unit: 'ms',
    better: 'lower',
    note: `median of ${setupRuns} runs of \`true\` with the cipher of the row; part of each transfer's wall time above.`,
    rows: rows((r) => r.setup, 0),
  });
}
