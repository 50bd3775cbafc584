#!/usr/bin/env node
// Where tsshd's internal-sftp spends its time (not a test, not part of run.mjs): OpenSSH's sftp puts and gets one
// file through tsshd with the tsshd-session worker under `node --cpu-prof` (started through SshdSessionPath, as in
// profile-transfer.mjs), then the functions with the most self time and the share of each part of the code.
// With --sshd the same transfers go to OpenSSH's sshd and sftp-server instead, for the reference CPU figures.
// Usage: node scripts/bench/profile-sftp.mjs [--cipher NAME] [--mib N] [--top N] [--only put|get] [--sshd]
import { randomFillSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, GiB, MiB, USER, run, serverCpuSeconds, sleep, startServer } from './harness.mjs';

function options(argv) {
  const o = { cipher: 'aes128-gcm@openssh.com', mib: 256, top: 25, only: undefined, sshd: false };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--sshd') {
      o.sshd = true;
      continue;
    }
    if (k === '--cipher') o.cipher = v;
    else if (k === '--mib') o.mib = Number(v);
    else if (k === '--top') o.top = Number(v);
    else if (k === '--only') o.only = v;
    else throw new Error(`unknown argument ${k}`);
    i++;
  }
  return o;
}

/** Self time per function, and per part of our code (the first of our frames up the stack decides). */
function summarise(file, top) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ours = (id) => {
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const m = nodes.get(cur).callFrame.url.match(/ssh-protocol\/dist\/([^/]+)\/([^/]+)\.js/);
      if (m) return m[1] === 'sftp' || m[2].startsWith('sftp') ? `sftp ${m[2]}` : m[1];
    }
    return `(outside our code) ${nodes.get(id).callFrame.functionName || '(anonymous)'}`;
  };
  const fn = new Map();
  const part = new Map();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const f = nodes.get(id).callFrame;
    total += dt;
    if (f.functionName === '(idle)') idle += dt;
    const where = f.url.replace(/^file:\/\//, '').replace(/^.*\/(packages|node_modules)\//, '$1/');
    const key = `${f.functionName || '(anonymous)'}  ${where}${where ? `:${f.lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + dt);
    const p = ours(id);
    part.set(p, (part.get(p) ?? 0) + dt);
  });
  const show = (title, map) => {
    console.log(`  ${title}:`);
    for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${k}`);
    }
  };
  console.log(`  profile ${(total / 1e6).toFixed(2)} s, not idle ${((total - idle) / 1e6).toFixed(2)} s`);
  show('self time', fn);
  show('by part (time outside our code counted to the part that called it)', part);
}

const o = options(process.argv.slice(2));
const bytes = o.mib * MiB;
const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const dir = mkdtempSync(join(base, 'profile-sftp-'));
try {
  const src = join(dir, 'src.bin');
  const block = randomFillSync(Buffer.alloc(Math.min(bytes, 64 * MiB)));
  writeFileSync(src, '');
  for (let left = bytes; left > 0; left -= block.length) writeFileSync(src, block.subarray(0, Math.min(left, block.length)), { flag: 'a' });
  for (const direction of o.only ? [o.only] : ['put', 'get']) {
    const profDir = join(dir, `prof-${direction}`);
    mkdirSync(profDir);
    const config = [o.sshd ? 'Subsystem sftp /usr/lib/openssh/sftp-server' : 'Subsystem sftp internal-sftp'];
    if (!o.sshd) {
      const wrapper = join(dir, `tsshd-session-${direction}.sh`);
      writeFileSync(wrapper, `#!/bin/sh\nexec ${process.execPath} --cpu-prof --cpu-prof-dir=${profDir} ${BIN.tsshdSession} "$@"\n`);
      chmodSync(wrapper, 0o755);
      config.push(`SshdSessionPath ${wrapper}`);
    }
    const server = await startServer(o.sshd ? 'sshd' : 'tsshd', { config });
    try {
      const remote = join(dir, 'remote.bin');
      const command = direction === 'put' ? `put ${src} ${remote}` : `get ${src} ${join(dir, 'local.bin')}`;
      writeFileSync(join(dir, 'batch'), `${command}\n`);
      const args = ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(server.dir, 'known_hosts')}`];
      args.push('-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR', '-o', `Ciphers=${o.cipher}`, '-i', server.userKey);
      args.push('-P', String(server.port), '-b', join(dir, 'batch'), `${USER}@127.0.0.1`);
      const cpu0 = serverCpuSeconds(server);
      const t0 = performance.now();
      const r = await run('/usr/bin/sftp', args, { timeoutMs: 600_000 });
      const ms = performance.now() - t0;
      if (r.code !== 0) throw new Error(`sftp: ${r.stderr}\n${server.log().slice(-2000)}`);
      await sleep(1000); // the worker writes its profile as it exits
      const cpu = ((serverCpuSeconds(server) - cpu0) * GiB) / bytes;
      console.log(`\nsftp -> ${o.sshd ? 'sshd' : 'tsshd'}, ${o.cipher}, ${direction} ${o.mib} MiB: ${(bytes / ms / 1e3).toFixed(0)} MB/s, server ${cpu.toFixed(2)} CPU s/GiB${o.sshd ? '' : ' (profiled)'}`);
    } finally {
      await server.stop();
      rmSync(join(dir, 'local.bin'), { force: true });
      rmSync(join(dir, 'remote.bin'), { force: true });
    }
    if (o.sshd) continue;
    // One profile per worker process: the transfer's is the largest.
    const files = readdirSync(profDir).map((f) => join(profDir, f));
    const biggest = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
    if (!biggest) throw new Error(`no profile in ${profDir}: the worker did not exit normally`);
    summarise(biggest, o.top);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
