// SendEnv and SetEnv as `env` requests: matching variables in the environment's order, then SetEnv's values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createClientLogger } from '@tssh/ssh/dist/client-log.js';
import { environmentRequests } from '@tssh/ssh/dist/session-env.js';

function logger() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
  return { log: createClientLogger('DEBUG1', stream), lines };
}

test('SendEnv patterns pick variables in environment order; SetEnv follows, split at the first =', async () => {
  const { log, lines } = logger();
  const env = { LANG: 'C.UTF-8', HOME: '/root', LC_ALL: 'C', FOO_1: 'a=b', TERM: 'xterm' };
  const reqs = environmentRequests(['LC_*', 'LANG', 'FOO_?'], ['GREETING=hello world', 'EMPTY=', 'X=1=2'], env, log);
  assert.deepEqual(reqs, [
    { kind: 'env', name: 'LANG', value: 'C.UTF-8' },
    { kind: 'env', name: 'LC_ALL', value: 'C' },
    { kind: 'env', name: 'FOO_1', value: 'a=b' },
    { kind: 'env', name: 'GREETING', value: 'hello world' },
    { kind: 'env', name: 'EMPTY', value: '' },
    { kind: 'env', name: 'X', value: '1=2' },
  ]);
  await new Promise((r) => setImmediate(r));
  assert.ok(lines.includes('debug1: Sending environment.\n'), lines.join(''));
  assert.ok(lines.includes('debug1: Sending env LC_ALL = C\n'));
  assert.ok(lines.includes('debug1: Setting env GREETING = hello world\n'));
});

test('nothing configured, nothing sent', () => {
  const { log } = logger();
  assert.deepEqual(environmentRequests([], [], { LANG: 'C' }, log), []);
});
