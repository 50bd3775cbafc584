#!/usr/bin/env node
// Runs the benchmarks (not tests) of scripts/bench/*.bench.mjs in the order of their names, or only those named
// on the command line (a name is the file name without `.bench.mjs`; a leading `NN-` may be left out).
// Each prints a table of our figure beside OpenSSH's, measured in the same run. Build first (`make bench` does).
// Usage: node scripts/bench/run.mjs [--quick] [--rounds N] [name ...]
import { readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, run } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const opts = parseOptions(process.argv.slice(2));

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const short = (f) => basename(f, '.bench.mjs');
const plain = (f) => short(f).replace(/^\d+-/, '');
const chosen = opts.names.length === 0 ? files : opts.names.map((n) => {
  const f = files.find((x) => short(x) === n || plain(x) === n);
  if (!f) throw new Error(`no benchmark named ${n} (have: ${files.map(plain).join(', ')})`);
  return f;
});

if (process.getuid?.() !== 0) console.error('warning: OpenSSH sshd needs root; its figures will fail without it');
const sshV = (await run('ssh', ['-V'])).stderr.trim();
console.log(`# tssh benchmarks ${new Date().toISOString()}${opts.quick ? ' (--quick: reduced sizes)' : ''}`);
console.log(`# node ${process.version}, ${sshV}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

let failed = 0;
for (const f of chosen) {
  const bench = await import(join(here, f));
  const t0 = Date.now();
  console.error(`== ${plain(f)}: ${bench.title ?? ''}`);
  try {
    await bench.run(opts);
  } catch (e) {
    failed++;
    console.log(`\n## ${plain(f)}: FAILED\n${e?.stack ?? e}`);
  }
  const took = `${plain(f)} took ${((Date.now() - t0) / 1000).toFixed(0)} s`;
  console.error(`== ${took}`);
  // Others' work on the machine shows in the figures: say how busy it was.
  console.log(`# ${took}; load average then ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}
process.exitCode = failed > 0 ? 1 : 0;
