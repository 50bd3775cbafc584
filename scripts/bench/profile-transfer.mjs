#!/usr/bin/env node
// Where our side spends its time in a bulk transfer (not a test, not part of run.mjs): one upload and one download
// with the tsshd-session worker under `node --cpu-prof` (OpenSSH's ssh as the client), or the tssh client under it
// (OpenSSH's sshd as the server), then the functions with the most self time. The worker is started through SshdSessionPath (a wrapper adding the flag), so it is
// the plain `sshd -i`-style path, not a pre-started one; the transfer itself is the same.
// Usage: node scripts/bench/profile-transfer.mjs [--side server|client] [--cipher NAME] [--mib N] [--top N] [--keep DIR]
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, MiB, clientCommand, closeFd, devNull, shebangNodeOptions, startServer, timeClientOk } from './harness.mjs';
import { spawn } from 'node:child_process';

function options(argv) {
  const o = { side: 'server', cipher: 'chacha20-poly1305@openssh.com', mib: 256, top: 20, keep: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--side') o.side = v;
    else if (k === '--cipher') o.cipher = v;
    else if (k === '--mib') o.mib = Number(v);
    else if (k === '--top') o.top = Number(v);
    else if (k === '--keep') o.keep = v;
    else throw new Error(`unknown argument ${k}`);
    i++;
  }
  if (!['server', 'client'].includes(o.side)) throw new Error('--side is server or client');
  return o;
}

/** Self time per function (name, file, line) of a .cpuprofile, largest first. */
export function selfTimes(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const perNode = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    perNode.set(id, (perNode.get(id) ?? 0) + dt);
    total += dt;
  });
  const perFunction = new Map();
  for (const [id, us] of perNode) {
    const f = nodes.get(id).callFrame;
    const where = f.url.replace(/^file:\/\//, '').replace(/^.*\/(packages|node_modules)\//, '$1/');
    const key = `${f.functionName || '(anonymous)'}  ${where}${where ? `:${f.lineNumber + 1}` : ''}`;
    perFunction.set(key, (perFunction.get(key) ?? 0) + us);
  }
  return { total, rows: [...perFunction].sort((a, b) => b[1] - a[1]) };
}

function summarise(dir, top) {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile in ${dir}: the process did not exit normally`);
  const { total, rows } = selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  const busy = rows.filter(([k]) => !k.startsWith('(idle)')).reduce((a, [, us]) => a + us, 0);
  console.log(`  profile ${(total / 1e6).toFixed(2)} s, of which not idle ${(busy / 1e6).toFixed(2)} s; self time:`);
  for (const [k, us] of rows.slice(0, top)) {
    console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${k}`);
  }
}

/** Like timeClientOk for tssh, with node flags before the script. */
function timeProfiledClient(server, command, opts, flags) {
  const [file, words] = clientCommand('tssh', server, command, { options: opts.options });
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...flags, ...shebangNodeOptions(file), file, ...words], { stdio: [opts.feed ? 'pipe' : 'ignore', opts.stdout ?? 'ignore', 'inherit'] });
    if (opts.feed) {
      const producer = spawn(opts.feed[0], opts.feed[1], { stdio: ['ignore', child.stdin, 'inherit'] });
      producer.on('spawn', () => child.stdin.destroy());
    }
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ ms: performance.now() - t0 }) : reject(new Error(`tssh exit ${code}`))));
  });
}

const o = options(process.argv.slice(2));
const bytes = o.mib * MiB;
const root = o.keep ?? mkdtempSync(join(tmpdir(), 'bench-profile-'));
try {
  for (const direction of ['upload', 'download']) {
    const dir = join(root, `${o.side}-${direction}`);
    mkdirSync(dir, { recursive: true });
    const flags = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
    const config = [];
    if (o.side === 'server') {
      const wrapper = join(dir, 'tsshd-session.sh');
      writeFileSync(wrapper, `#!/bin/sh\nexec ${process.execPath} ${flags.join(' ')} ${BIN.tsshdSession} "$@"\n`);
      chmodSync(wrapper, 0o755);
      config.push(`SshdSessionPath ${wrapper}`);
    }
    // The other end is OpenSSH's, so that the profile shows one of our programs against a fast peer.
    const server = await startServer(o.side === 'server' ? 'tsshd' : 'sshd', { config });
    try {
      const opts = { options: { Ciphers: o.cipher } };
      const command = direction === 'upload' ? ['cat > /dev/null'] : [`head -c ${bytes} /dev/zero`];
      if (direction === 'upload') opts.feed = ['head', ['-c', String(bytes), '/dev/zero']];
      const out = direction === 'download' ? devNull() : undefined;
      if (out !== undefined) opts.stdout = out;
      const r = o.side === 'server' ? await timeClientOk('ssh', server, command, opts) : await timeProfiledClient(server, command, opts, flags);
      if (out !== undefined) closeFd(out);
      console.log(`\n${o.side === 'server' ? 'tsshd-session (ssh -> tsshd)' : 'tssh (tssh -> sshd)'}, ${o.cipher}, ${direction} ${o.mib} MiB: ${(bytes / r.ms / 1e3).toFixed(1)} MB/s`);
      await new Promise((res) => setTimeout(res, 1000)); // the worker writes its profile as it exits
    } finally {
      await server.stop();
    }
    summarise(dir, o.top);
  }
} finally {
  if (o.keep === undefined) rmSync(root, { recursive: true, force: true });
}
