#!/usr/bin/env node
// Runs every compiled test file under test/dist with Node's built-in runner.
// Usage: node scripts/run-tests.mjs [tier...]   (tiers: unit memory process interop; default all)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../test/dist/', import.meta.url).pathname;
const tiers = process.argv.slice(2);
const wanted = tiers.length ? tiers : ['unit', 'memory', 'process', 'interop'];

function walk(dir) {
  let out = [];
  let names = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = wanted.flatMap((t) => walk(join(root, t)));
if (files.length === 0) {
  console.error('no compiled tests found under test/dist: run the build first');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
