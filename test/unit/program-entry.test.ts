// Which module a client program's bin shim runs: its bundle while that is newer than the last compilation of
// every package it was made from, else the compiled modules (packages/ssh-protocol/bin/program-entry.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type ProgramEntry = (shimUrl: string, name: string, packages: string[]) => string;

const helper = new URL('../../../packages/ssh-protocol/bin/program-entry.js', import.meta.url).href;

test('the bundle while it is current; the modules after a compilation, without a bundle, or when asked', async () => {
  const { programEntry } = (await import(helper)) as { programEntry: ProgramEntry };
  const root = mkdtempSync(join(tmpdir(), 'program-entry-'));
  try {
    for (const dir of ['app/bin', 'app/dist', 'lib']) mkdirSync(join(root, dir), { recursive: true });
    const shim = pathToFileURL(join(root, 'app/bin/prog.js')).href;
    const modules = pathToFileURL(join(root, 'app/dist/prog.js')).href;
    const bundle = pathToFileURL(join(root, 'app/dist/prog.bundle.mjs')).href;
    const at = (path: string, seconds: number): void => {
      writeFileSync(join(root, path), '');
      utimesSync(join(root, path), seconds, seconds);
    };
    at('app/dist/prog.js', 1000);
    assert.equal(programEntry(shim, 'prog', ['app', 'lib']), modules, 'no bundle');
    at('app/tsconfig.tsbuildinfo', 1000);
    at('lib/tsconfig.tsbuildinfo', 1000);
    at('app/dist/prog.bundle.mjs', 2000);
    assert.equal(programEntry(shim, 'prog', ['app', 'lib']), bundle);
    at('lib/tsconfig.tsbuildinfo', 3000);
    assert.equal(programEntry(shim, 'prog', ['app', 'lib']), modules, 'lib compiled after the bundle');
    assert.equal(programEntry(shim, 'prog', ['app']), bundle, 'lib is not part of it');
    rmSync(join(root, 'app/tsconfig.tsbuildinfo'));
    rmSync(join(root, 'lib/tsconfig.tsbuildinfo'));
    assert.equal(programEntry(shim, 'prog', ['app', 'lib']), bundle, 'an installed copy has no .tsbuildinfo');
    process.env.TSSH_NO_BUNDLE = '1';
    try {
      assert.equal(programEntry(shim, 'prog', ['app', 'lib']), modules);
    } finally {
      delete process.env.TSSH_NO_BUNDLE;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the programs that move data start Node with a 64 MB initial old-generation limit; tsftp and tscp with one pool thread', async () => {
  const { readFileSync } = await import('node:fs');
  const shebangs: Record<string, string> = {
    'ssh/bin/tssh.js': '#!/usr/bin/env -S node --initial-old-space-size=64',
    'sftp/bin/tsftp.js': '#!/usr/bin/env -S UV_THREADPOOL_SIZE=1 node --initial-old-space-size=64',
    'sftp/bin/tscp.js': '#!/usr/bin/env -S UV_THREADPOOL_SIZE=1 node --initial-old-space-size=64',
  };
  for (const [shim, expected] of Object.entries(shebangs)) {
    const first = readFileSync(new URL(`../../../packages/${shim}`, import.meta.url), 'utf8').split('\n')[0];
    assert.equal(first, expected, shim);
  }
});

test("a shebang's settings reach Node before it starts: one pool thread once a file request has gone out", async () => {
  const { execFileSync } = await import('node:child_process');
  const script = "import { readFile } from 'node:fs/promises'; import { readdirSync } from 'node:fs'; await readFile('/proc/self/stat'); console.log(process.env.UV_THREADPOOL_SIZE, readdirSync('/proc/self/task').length);";
  const run = (words: string): string[] =>
    execFileSync('/usr/bin/env', ['-S', words, '--input-type=module', '-e', script], { encoding: 'utf8' }).trim().split(' ');
  const [size, threads] = run('UV_THREADPOOL_SIZE=1 node');
  const [, defaultThreads] = run('UV_THREADPOOL_SIZE=4 node');
  assert.equal(size, '1');
  assert.equal(Number(defaultThreads) - Number(threads), 3, 'three pool threads fewer than with four');
});
