// SFTP throughput: a 1 GiB `get` and `put` through OpenSSH's sftp against OpenSSH's sshd (its sftp-server) — the
// reference — and against tsshd (internal-sftp), and through tsftp against both, with the same cipher. Wall time
// around the client process, setup included (the setup alone, a batch of `pwd`, is printed apart), and CPU
// seconds per GiB of the client and of the server, which other load on the machine does not change. Files live
// in /dev/shm when there is one, so that the disk does not set the pace. A small transfer checked by SHA-256
// first proves each path moves every byte.
import { createHash, randomFillSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GiB,
  MiB,
  REPO,
  USER,
  clientCpuSeconds,
  inRounds,
  median,
  medians,
  printTable,
  progress,
  run as runProcess,
  serverCpuSeconds,
  sleep,
  startServer,
} from './harness.mjs';

export const title = 'SFTP get and put, 1 GiB (MB/s)';

const TSFTP = join(REPO, 'packages/sftp/bin/tsftp.js');
const SFTP = '/usr/bin/sftp';
const CIPHERS = ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com'];
// The reference first; then each of ours against it.
const PAIRS = [
  ['sftp', 'sshd'],
  ['sftp', 'tsshd'],
  ['tsftp', 'sshd'],
  ['tsftp', 'tsshd'],
];
const SUBSYSTEM = {
  sshd: 'Subsystem sftp /usr/lib/openssh/sftp-server',
  tsshd: 'Subsystem sftp internal-sftp',
};
const CHECK_BYTES = 3 * MiB + 7;

function workDir() {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return mkdtempSync(join(base, 'bench-sftp-'));
}

/** Writes `bytes` of random data (not compressible, not all zeros) in 64 MiB steps. */
function makeFile(path, bytes) {
  const block = randomFillSync(Buffer.alloc(Math.min(bytes, 64 * MiB)));
  writeFileSync(path, '');
  let left = bytes;
  while (left > 0) {
    const n = Math.min(left, block.length);
    writeFileSync(path, block.subarray(0, n), { flag: 'a' });
    left -= n;
  }
}

const sha = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** sftp or tsftp running `commands` as a batch against `server`; resolves with the wall time in ms. */
async function batch(client, server, cipher, commands, dir) {
  const file = join(dir, 'batch');
  writeFileSync(file, `${commands.join('\n')}\n`);
  const words = [
    '-F', '/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=no',
    '-o', `UserKnownHostsFile=${join(server.dir, 'known_hosts')}`,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'LogLevel=ERROR',
    '-o', `Ciphers=${cipher}`,
    '-i', server.userKey,
    '-P', String(server.port),
    '-b', file,
    `${USER}@127.0.0.1`,
  ];
  // tsftp runs as the installed command does, through its shebang (which gives Node its options).
  const [bin, args] = client === 'sftp' ? [SFTP, words] : [TSFTP, words];
  const t0 = process.hrtime.bigint();
  const r = await runProcess(bin, args, { timeoutMs: 600_000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.code !== 0) {
    throw new Error(`${client} -> ${server.kind} (${cipher}) ${commands.join('; ')}: exit ${r.code ?? r.signal}\n${r.stderr}\n--- ${server.kind} log:\n${server.log().slice(-3000)}`);
  }
  return ms;
}

/** A checked round trip of a small file: both copies must hash like the original. */
async function check(client, server, cipher, dir) {
  const src = join(dir, 'check.bin');
  const up = join(dir, `check-up-${client}-${server.kind}.bin`);
  const down = join(dir, `check-down-${client}-${server.kind}.bin`);
  await batch(client, server, cipher, [`put ${src} ${up}`, `get ${up} ${down}`], dir);
  if (sha(up) !== sha(src) || sha(down) !== sha(src)) throw new Error(`${client} -> ${server.kind} (${cipher}): check transfer differs`);
  rmSync(up);
  rmSync(down);
}

const mbps = (bytes, ms) => bytes / ms / 1e3;

/** One timed transfer: MB/s of wall time, and CPU seconds per GiB on each side. */
async function timed(client, server, cipher, commands, dir, bytes) {
  const c0 = clientCpuSeconds();
  const s0 = serverCpuSeconds(server);
  const ms = await batch(client, server, cipher, commands, dir);
  await sleep(500); // the server's connection process ends just after the client: let it be reaped
  const perGiB = GiB / bytes;
  return { rate: mbps(bytes, ms), clientCpu: (clientCpuSeconds() - c0) * perGiB, serverCpu: (serverCpuSeconds(server) - s0) * perGiB };
}

/** One put and one get of the big file through `client` -> `server`, each checked for its size. */
async function putAndGet(client, server, cipher, dir, bytes, step) {
  const kind = server.kind;
  const remote = join(dir, `remote-${client}-${kind}.bin`);
  const local = join(dir, `local-${client}-${kind}.bin`);
  progress(`${step}: put ${bytes / MiB} MiB`);
  const put = await timed(client, server, cipher, [`put ${join(dir, 'src.bin')} ${remote}`], dir, bytes);
  if (statSync(remote).size !== bytes) throw new Error(`${client} -> ${kind}: put left ${statSync(remote).size} bytes`);
  progress(`${step}: get ${bytes / MiB} MiB`);
  const get = await timed(client, server, cipher, [`get ${remote} ${local}`], dir, bytes);
  if (statSync(local).size !== bytes) throw new Error(`${client} -> ${kind}: get left ${statSync(local).size} bytes`);
  rmSync(remote);
  rmSync(local);
  progress(
    `${step}: get ${get.rate.toFixed(0)} MB/s, put ${put.rate.toFixed(0)} MB/s, ` +
      `CPU s/GiB get ${get.clientCpu.toFixed(1)}+${get.serverCpu.toFixed(1)}, put ${put.clientCpu.toFixed(1)}+${put.serverCpu.toFixed(1)}`,
  );
  return { put, get };
}

/**
 * Each cipher's combinations are measured in `rounds` rounds, in PAIRS order and then the reverse, and the medians
 * kept: one transfer's figure moves by 20 % and more from run to run on these shared cores.
 */
export async function run({ quick, rounds: asked }) {
  const bytes = quick ? 64 * MiB : GiB;
  const rounds = asked ?? (quick ? 1 : 3);
  if (!existsSync(SFTP)) throw new Error(`${SFTP} is missing (make peers installs it)`);
  if (!existsSync(TSFTP)) throw new Error(`${TSFTP} is missing: build first`);
  const dir = workDir();
  const servers = {};
  const results = [];
  try {
    progress(`making a ${bytes / MiB} MiB file in ${dir}`);
    makeFile(join(dir, 'src.bin'), bytes);
    makeFile(join(dir, 'check.bin'), CHECK_BYTES);
    servers.sshd = await startServer('sshd', { config: [SUBSYSTEM.sshd] });
    servers.tsshd = await startServer('tsshd', { config: [SUBSYSTEM.tsshd] });
    for (const cipher of CIPHERS) {
      const runs = new Map(PAIRS.map(([client, kind]) => [`${client} -> ${kind}`, { put: [], get: [], setup: NaN }]));
      await inRounds(PAIRS, rounds, async ([client, kind], round, label) => {
        const server = servers[kind];
        const pair = `${client} -> ${kind}`;
        const r = runs.get(pair);
        if (round === 0) {
          await check(client, server, cipher, dir);
          r.setup = median([await batch(client, server, cipher, ['pwd'], dir), await batch(client, server, cipher, ['pwd'], dir)]);
        }
        const { put, get } = await putAndGet(client, server, cipher, dir, bytes, `${cipher} ${pair}${label}`);
        r.put.push(put);
        r.get.push(get);
      });
      for (const [pair, r] of runs) {
        const put = medians(r.put);
        const get = medians(r.get);
        const spread = (xs) => xs.map((x) => x.rate.toFixed(0)).join(' ');
        if (rounds > 1) progress(`${cipher} ${pair}: MB/s get ${spread(r.get)}, put ${spread(r.put)}; medians ${get.rate.toFixed(0)} / ${put.rate.toFixed(0)}`);
        results.push({ cipher, pair, put: put.rate, get: get.rate, setup: r.setup, cpu: { put, get } });
      }
    }
  } finally {
    await servers.sshd?.stop();
    await servers.tsshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const rows = (field) =>
    CIPHERS.flatMap((cipher) => {
      const ref = results.find((r) => r.cipher === cipher && r.pair === 'sftp -> sshd');
      return results
        .filter((r) => r.cipher === cipher && r !== ref)
        .map((r) => ({ name: `${cipher.replace('@openssh.com', '')}  ${r.pair}`, tssh: r[field], openssh: ref[field], digits: field === 'setup' ? 0 : 1 }));
    });
  const size = `${bytes / MiB} MiB`;
  const note = (what) =>
    `${size} ${what}, ${rounds === 1 ? 'one transfer per combination' : `the median of ${rounds} interleaved rounds`}, files on ${dir.startsWith('/dev/shm') ? 'tmpfs' : 'disk'};\nMB/s = 10^6 bytes per second of ` +
    `wall time around the client, setup included. "openssh" is sftp -> sshd (sftp-server) with the same cipher.\n` +
    `sftp -> tsshd against it measures our server; tsftp -> sshd measures our client.`;
  printTable({ title: 'SFTP get (server -> client)', unit: 'MB/s', better: 'higher', note: note('fetched with get'), rows: rows('get') });
  printTable({ title: 'SFTP put (client -> server)', unit: 'MB/s', better: 'higher', note: note('sent with put'), rows: rows('put') });
  // Our client against OpenSSH's (both to sshd), our server against OpenSSH's (both with sftp).
  const cpuRows = CIPHERS.flatMap((cipher) => {
    const find = (pair) => results.find((r) => r.cipher === cipher && r.pair === pair);
    const base = find('sftp -> sshd');
    const short = cipher.replace('@openssh.com', '');
    return ['get', 'put'].flatMap((dir) => [
      { name: `${short}  ${dir}  client tsftp vs sftp`, tssh: find('tsftp -> sshd').cpu[dir].clientCpu, openssh: base.cpu[dir].clientCpu, digits: 2 },
      { name: `${short}  ${dir}  server tsshd vs sshd`, tssh: find('sftp -> tsshd').cpu[dir].serverCpu, openssh: base.cpu[dir].serverCpu, digits: 2 },
    ]);
  });
  printTable({
    title: 'SFTP CPU seconds per GiB (user + system, whatever else the machine does)',
    unit: 's/GiB',
    better: 'lower',
    note: 'medians; client: the sftp or tsftp process and its children (ssh for sftp); server: the listener and every\nconnection process (sshd with sftp-server, tsshd-session) that ended during the transfer.',
    rows: cpuRows,
  });
  printTable({
    title: 'SFTP session setup (a batch of pwd)',
    unit: 'ms',
    better: 'lower',
    note: 'median of 2 runs with the cipher of the row; part of each transfer\'s wall time above.',
    rows: rows('setup'),
  });
}
