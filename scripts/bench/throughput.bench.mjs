// Bulk throughput per cipher, both directions, over loopback: OpenSSH ssh -> sshd is the reference; ssh -> tsshd,
// tssh -> sshd and tssh -> tsshd are set beside it. Wall time around the client process, setup included (its own
// figure is printed apart). Client to server: `head -c N /dev/zero | ssh host 'cat > /dev/null'`; server to client:
// `ssh host 'head -c N /dev/zero' > /dev/null`. A small checked transfer first proves each path moves every byte.
import { closeFd, devNull, GiB, MiB, median, printTable, progress, runClient, startServer, timeClientOk } from './harness.mjs';

export const title = 'throughput per cipher, 1 GiB each way (MB/s)';

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

export async function run({ quick }) {
  const bytes = quick ? 64 * MiB : GiB;
  const setupRuns = quick ? 1 : 3;
  const servers = { tsshd: await startServer('tsshd'), sshd: await startServer('sshd') };
  const results = []; // { cipher, pair, up, down, setup } in MB/s and ms
  try {
    for (const c of CIPHERS) {
      const options = algorithmOptions(c);
      for (const [client, server] of PAIRS) {
        const s = servers[server];
        await check(client, s, options);
        const setups = [];
        for (let i = 0; i < setupRuns; i++) setups.push((await timeClientOk(client, s, ['true'], { options })).ms);
        progress(`${c.short} ${client} -> ${server}: upload ${bytes / MiB} MiB`);
        const up = mbps(bytes, await upload(client, s, options, bytes));
        progress(`${c.short} ${client} -> ${server}: download ${bytes / MiB} MiB`);
        const down = mbps(bytes, await download(client, s, options, bytes));
        progress(`${c.short} ${client} -> ${server}: ${up.toFixed(0)} / ${down.toFixed(0)} MB/s, setup ${median(setups).toFixed(0)} ms`);
        results.push({ cipher: c.short, pair: `${client} -> ${server}`, up, down, setup: median(setups) });
      }
    }
  } finally {
    await servers.tsshd.stop();
    await servers.sshd.stop();
  }

  const rows = (field) =>
    CIPHERS.flatMap((c) => {
      const ref = results.find((r) => r.cipher === c.short && r.pair === 'ssh -> sshd');
      return results
        .filter((r) => r.cipher === c.short && r !== ref)
        .map((r) => ({ name: `${c.short}  ${r.pair}`, tssh: r[field], openssh: ref[field], digits: field === 'setup' ? 0 : 1 }));
    });
  const size = `${bytes / MiB} MiB`;
  const note = (dir) =>
    `${size} ${dir}, one transfer per combination; MB/s = 10^6 bytes per second of wall time around the client,\n` +
    `connection setup included. "openssh" is ssh -> sshd with the same cipher; "tssh" is the combination named.`;
  printTable({ title: `Throughput client -> server (cat > /dev/null)`, unit: 'MB/s', better: 'higher', note: note('uploaded'), rows: rows('up') });
  printTable({ title: `Throughput server -> client (head -c N /dev/zero)`, unit: 'MB/s', better: 'higher', note: note('downloaded'), rows: rows('down') });
  printTable({
    title: 'Setup time of the same connections (ssh ... true)',
    unit: 'ms',
    better: 'lower',
    note: `median of ${setupRuns} runs of \`true\` with the cipher of the row; part of each transfer's wall time above.`,
    rows: rows('setup'),
  });
}
