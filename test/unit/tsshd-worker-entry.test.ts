// Which program a pre-started worker runs: the bundle only while it is newer than every module it was made from.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pooledWorkerEntry } from '@tssh/sshd/dist/worker-entry.js';

const dir = mkdtempSync(join(tmpdir(), 'tsshd-entry-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(path: string, mtime: number): string {
  writeFileSync(path, '');
  utimesSync(path, mtime, mtime);
  return path;
}

test('the bundle serves while current; a newer module anywhere below the sources, or no bundle, means the modules', () => {
  const sshd = join(dir, 'sshd');
  const proto = join(dir, 'proto');
  mkdirSync(join(proto, 'transport'), { recursive: true });
  mkdirSync(sshd);
  const modules = file(join(sshd, 'tsshd-session.js'), 1000);
  file(join(proto, 'transport', 'transport.js'), 1000);
  file(join(proto, 'notes.txt'), 5000); // not a module
  const bundle = join(sshd, 'tsshd-session.bundle.mjs');
  assert.equal(pooledWorkerEntry(modules, bundle, [sshd, proto]), modules, 'no bundle yet');
  file(bundle, 2000);
  assert.equal(pooledWorkerEntry(modules, bundle, [sshd, proto]), bundle);
  file(join(proto, 'transport', 'transport.js'), 3000);
  assert.equal(pooledWorkerEntry(modules, bundle, [sshd, proto]), modules, 'a module rebuilt after the bundle');
  file(bundle, 3000);
  assert.equal(pooledWorkerEntry(modules, bundle, [sshd, proto]), bundle);
});

test('tsshd-session run directly (inetd, systemd) starts Node with the options and environment tsshd gives its workers', async () => {
  const { WORKER_ENV, WORKER_NODE_OPTIONS } = await import('@tssh/sshd/dist/worker-tuning.js');
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const bin = createRequire(import.meta.url).resolve('@tssh/sshd/bin/tsshd-session.js');
  const shebang = readFileSync(bin, 'utf8').split('\n')[0];
  const settings = Object.entries(WORKER_ENV).map(([name, value]) => `${name}=${value} `).join('');
  assert.equal(shebang, `#!/usr/bin/env -S ${settings}node ${WORKER_NODE_OPTIONS.join(' ')}`);
});

test("workers get one libuv pool thread unless tsshd's own environment says otherwise", async () => {
  const { workerEnvDefaults } = await import('@tssh/sshd/dist/worker-tuning.js');
  assert.deepEqual(workerEnvDefaults({}), { UV_THREADPOOL_SIZE: '1' });
  assert.deepEqual(workerEnvDefaults({ UV_THREADPOOL_SIZE: '4' }), {});
});
