// Common parts of the benchmarks (not tests): servers with throwaway configs and keys on 127.0.0.1, client runs
// timed from spawn to exit, statistics, and the table printer (`name  tssh-value  openssh-value  ratio`).
// Every benchmark file `*.bench.mjs` exports `title` and `run(ctx)`; scripts/bench/run.mjs calls them in order.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const REPO = new URL('../../', import.meta.url).pathname;
export const BIN = {
  tsshd: join(REPO, 'packages/sshd/bin/tsshd.js'),
  tsshdSession: join(REPO, 'packages/sshd/bin/tsshd-session.js'),
  tssh: join(REPO, 'packages/ssh/bin/tssh.js'),
  keygen: join(REPO, 'packages/keygen/bin/tssh-keygen.js'),
  sshd: '/usr/sbin/sshd',
  ssh: 'ssh',
};
export const USER = userInfo().username;
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/**
 * Command-line options shared by all benchmarks: `--quick` shrinks sizes and counts; `--rounds N` sets how many
 * interleaved rounds a benchmark that repeats its measurements makes (undefined: its own default); other words
 * pick benchmarks.
 */
export function parseOptions(argv) {
  const opts = { quick: false, rounds: undefined, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--rounds') {
      opts.rounds = Number(argv[++i]);
      if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error(`--rounds needs a whole number above 0, not ${argv[i]}`);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a} (known: --quick, --rounds N)`);
    else opts.names.push(a);
  }
  return opts;
}

// ---------------------------------------------------------------- processes

/** Runs a command to completion; stdout and stderr are collected (stdout only when `capture`). */
export function run(file, args, { input, timeoutMs = 120_000, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Keeps the last `limit` characters a child writes (servers log for the whole run). */
function tail(child, limit = 64 * 1024) {
  let text = '';
  const add = (d) => {
    text += d;
    if (text.length > 2 * limit) text = text.slice(-limit);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => text.slice(-limit);
}

function waitForLine(child, pattern, log, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(log())) done(resolve);
    };
    const onExit = () => done(() => reject(new Error(`server exited before listening:\n${log()}`)));
    const timer = setTimeout(() => done(() => reject(new Error(`server not listening after ${timeoutMs} ms:\n${log()}`))), timeoutMs);
    const done = (f) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      f();
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', onExit);
    check();
  });
}

// ---------------------------------------------------------------- servers

export const SERVERS = ['tsshd', 'sshd'];
export const CLIENTS = ['tssh', 'ssh'];

async function keygen(dir, name) {
  const path = join(dir, name);
  const r = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
  if (r.code !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
  return path;
}

/**
 * Starts `tsshd` or OpenSSH's `sshd` on 127.0.0.1 with a fresh ed25519 host key, the current user authorized with a
 * fresh key, and `config` lines added. Both get the same lines, except what only sshd needs (UsePAM, PidFile).
 * `env` is added to the server's environment (a tsshd passes it on to its workers).
 * Returns { kind, port, dir, userKey, pid, log(), stop() }.
 */
export async function startServer(kind, { config = [], env } = {}) {
  if (!SERVERS.includes(kind)) throw new Error(`unknown server ${kind}`);
  const dir = tempDir(`bench-${kind}-`);
  const hostKey = await keygen(dir, 'host_ed25519');
  const userKey = await keygen(dir, 'id_ed25519');
  copyFileSync(`${userKey}.pub`, join(dir, 'authorized_keys'));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  const lines = [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'LogLevel VERBOSE',
    // Root's ~/.bashrc (pyenv init) would run before every command: bash sources it when started by an SSH server
    // as a top-level shell (SSH_CLIENT set, SHLVL < 2). SHLVL=1 makes the command's bash a second-level shell.
    'SetEnv SHLVL=1',
    ...(kind === 'sshd' ? ['UsePAM no', `PidFile ${join(dir, 'sshd.pid')}`] : []),
    // OpenSSH 9.2 has no PerSourcePenalties; tsshd's (as 9.8's) would refuse 127.0.0.1 after a burst of probes.
    ...(kind === 'tsshd' ? ['PerSourcePenalties no'] : []),
    ...config,
    '',
  ];
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, lines.join('\n'));
  let file, args;
  if (kind === 'sshd') {
    await run('mkdir', ['-p', '/run/sshd']);
    [file, args] = [BIN.sshd, ['-D', '-e', '-f', configFile]];
  } else {
    [file, args] = [process.execPath, [BIN.tsshd, '-D', '-e', '-f', configFile]];
  }
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env && { ...process.env, ...env } });
  const log = tail(child);
  try {
    await waitForLine(child, /Server listening on 127\.0\.0\.1 port \d+/, log);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const stop = () =>
    new Promise((resolve) => {
      const cleanup = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return cleanup();
      child.once('exit', cleanup);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return { kind, port, dir, userKey, pid: child.pid, process: child, log, stop };
}

/** Runs `fn(server)` with a server of `kind` started for it and stopped afterwards, whatever happens. */
export async function withServer(kind, opts, fn) {
  const server = await startServer(kind, opts);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- clients

/**
 * [file, args] for `ssh` or `tssh` to `server`, running `command` (an array of words, may be empty).
 * `options` are ssh_config keywords given as -o (both clients take the same ones; tssh has no -c/-m yet).
 */
/**
 * The Node options a bin shim's shebang gives (`#!/usr/bin/env -S [NAME=VALUE ...] node OPTIONS`), for running it
 * under extra flags (its NAME=VALUE settings are not included).
 */
export function shebangNodeOptions(bin) {
  const first = readFileSync(bin, 'utf8').split('\n')[0];
  const m = /^#!\/usr\/bin\/env -S (?:\S+=\S* )*node (.*)$/.exec(first);
  return m ? m[1].split(' ').filter(Boolean) : [];
}

export function clientCommand(kind, server, command = [], { options = {}, args = [] } = {}) {
  if (!CLIENTS.includes(kind)) throw new Error(`unknown client ${kind}`);
  const opts = {
    BatchMode: 'yes',
    StrictHostKeyChecking: 'no',
    UserKnownHostsFile: join(server.dir, 'known_hosts'),
    IdentitiesOnly: 'yes',
    LogLevel: 'ERROR',
    ...options,
  };
  const words = ['-F', '/dev/null', '-T', '-i', server.userKey, '-p', String(server.port)];
  for (const [k, v] of Object.entries(opts)) words.push('-o', `${k}=${v}`);
  words.push(...args, `${USER}@127.0.0.1`, ...command);
  // tssh runs as the installed command does, through its shebang (which gives Node its options).
  return kind === 'ssh' ? [BIN.ssh, words] : [BIN.tssh, words];
}

/**
 * Runs a client to completion and returns { ms, code, stderr }: wall time from spawn to exit.
 * `stdin`/`stdout` are 'ignore' (/dev/null) or a file descriptor. `feed` ([file, args]) is a producer started right
 * after the client whose stdout is a pipe to the client's stdin, as in `producer | ssh ...` (the pipe goes from
 * one child to the other: this process holds its write end only until the producer has it).
 */
export function timeClient(
  kind,
  server,
  command,
  { options, args, stdin = 'ignore', stdout = 'ignore', feed, timeoutMs = 600_000 } = {},
) {
  const [file, words] = clientCommand(kind, server, command, { options, args });
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, words, { stdio: [feed ? 'pipe' : stdin, stdout, 'pipe'] });
    if (feed) {
      const producer = spawn(feed[0], feed[1], { stdio: ['ignore', child.stdin, 'inherit'] });
      producer.on('spawn', () => child.stdin.destroy());
      producer.on('error', reject);
    }
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      // stderr may still be draining: wait for it before handing it over.
      const finish = () => resolve({ ms, code, signal, stderr });
      if (child.stderr.readableEnded) finish();
      else child.stderr.once('close', finish);
    });
  });
}

/** Like timeClient, and throws with the client's stderr and the server's log tail when it fails. */
export async function timeClientOk(kind, server, command, opts) {
  const r = await timeClient(kind, server, command, opts);
  if (r.code !== 0) {
    throw new Error(
      `${kind} -> ${server.kind} ${command.join(' ')}: exit ${r.code ?? r.signal}\n${r.stderr}\n--- ${server.kind} log:\n${server.log().slice(-4000)}`,
    );
  }
  return r;
}

/** Runs a client, capturing its stdout (for checks before timing, never while timing). */
export function runClient(kind, server, command, { options, args, input } = {}) {
  const [file, words] = clientCommand(kind, server, command, { options, args });
  return run(file, words, { input });
}

/** Opens /dev/null for a child's stdio; close with closeFd. */
export function devNull(flags = 'w') {
  return openSync('/dev/null', flags);
}
export const closeFd = closeSync;

// ---------------------------------------------------------------- /proc (memory, CPU time, the process tree)

export { clientCpuSeconds, cpuSeconds, descendants, processTable, pssKiB, rssKiB, serverCpuSeconds } from './proc-stats.mjs';

// ---------------------------------------------------------------- statistics and output

export function median(xs) {
  return percentile(xs, 50);
}

/** An object with the median of each field of `runs` (objects with the same numeric fields). */
export function medians(runs) {
  return Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
}

/**
 * Calls `measure(item, round, label)` for each of `items` in each of `rounds` rounds, in their order and then in
 * reverse every other round, so that a drift in the machine's speed falls on every item alike. `label` says which
 * round it is when there are several ('' otherwise), for progress lines.
 */
export async function inRounds(items, rounds, measure) {
  for (let round = 0; round < rounds; round++) {
    const label = rounds > 1 ? ` (round ${round + 1} of ${rounds})` : '';
    for (const item of round % 2 === 0 ? items : [...items].reverse()) await measure(item, round, label);
  }
}

/** Nearest-rank percentile. */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export function fmt(x, digits = 1) {
  if (typeof x === 'string') return x;
  if (!Number.isFinite(x)) return 'n/a';
  return x.toFixed(digits);
}

/**
 * Prints one benchmark's table. `rows` are { name, tssh, openssh, digits? } with numbers (NaN when not measured);
 * the ratio is tssh/openssh, and `better` says which way is better ('higher' for throughput, 'lower' for times).
 */
export function printTable({ title, unit, better, note, rows }) {
  const headers = ['name', `tssh (${unit})`, `openssh (${unit})`, `ratio tssh/openssh (${better} is better)`];
  const cells = rows.map((r) => {
    const d = r.digits ?? 1;
    const ratio = r.tssh / r.openssh;
    return [r.name, fmt(r.tssh, d), fmt(r.openssh, d), Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'];
  });
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  console.log(`\n## ${title}`);
  if (note) for (const l of note.split('\n')) console.log(`# ${l}`);
  console.log(line(headers));
  for (const c of cells) console.log(line(c));
}

/** A progress line on stderr (the tables go to stdout). */
export function progress(text) {
  process.stderr.write(`  .. ${text}\n`);
}

export { sleep };
