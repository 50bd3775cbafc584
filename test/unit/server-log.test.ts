// The server programs' logger: OpenSSH levels, OpenSSH-style text lines, JSON lines with the structured fields.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServerLogger, parseLogLevel } from '@tssh/sshd/dist/log.js';
import type { ServerLogger } from '@tssh/sshd/dist/log.js';

const dir = mkdtempSync(join(tmpdir(), 'tsshd-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function logTo(level: Parameters<typeof createServerLogger>[0]['level'], format: 'text' | 'json' = 'text') {
  const file = join(dir, `log-${n++}`);
  const log = createServerLogger({ program: 'tsshd', level, stderr: true, file, format });
  return { log, lines: () => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') };
}

function everyLevel(log: ServerLogger): void {
  log.fatal('f');
  log.error('e');
  log.warn('w');
  log.info('i');
  log.verbose('v');
  log.debug('d1');
  log.debug2('d2');
  log.debug3('d3');
}

const STAMP = `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z tsshd\\[${process.pid}\\]: `;

test('a -E file gets time, program and pid, then the message with OpenSSH prefixes', () => {
  const { log, lines } = logTo('DEBUG3');
  everyLevel(log);
  log.info('Server listening on 0.0.0.0 port 22.', { port: 22 });
  log.close();
  const got = lines();
  for (const l of got) assert.match(l, new RegExp(STAMP));
  assert.deepEqual(
    got.map((l) => l.replace(new RegExp(STAMP), '')),
    ['fatal: f', 'error: e', 'warning: w', 'i', 'v', 'debug1: d1', 'debug2: d2', 'debug3: d3', 'Server listening on 0.0.0.0 port 22.'],
  );
});

test('LogLevel thresholds follow OpenSSH; QUIET logs nothing; the level can change', () => {
  const want: [Parameters<typeof logTo>[0], string[]][] = [
    ['QUIET', []],
    ['FATAL', ['f']],
    ['ERROR', ['f', 'e']],
    ['INFO', ['f', 'e', 'w', 'i']],
    ['VERBOSE', ['f', 'e', 'w', 'i', 'v']],
    ['DEBUG', ['f', 'e', 'w', 'i', 'v', 'd1']],
    ['DEBUG2', ['f', 'e', 'w', 'i', 'v', 'd1', 'd2']],
  ];
  for (const [level, messages] of want) {
    const { log, lines } = logTo(level);
    everyLevel(log);
    log.close();
    assert.deepEqual(lines().map((l) => l.replace(/^.*?: (fatal|error|warning|debug\d): /, '').replace(/^.*?\]: /, '')), messages, level);
  }
  const { log, lines } = logTo('INFO');
  log.verbose('hidden');
  log.setLevel('VERBOSE');
  assert.equal(log.level, 'VERBOSE');
  log.verbose('shown');
  log.close();
  assert.deepEqual(lines().map((l) => l.replace(/^.*?\]: /, '')), ['shown']);
});

test('JSON lines carry the structured fields without letting them replace the record keys', () => {
  const { log, lines } = logTo('INFO', 'json');
  log.info('Accepted publickey for alice', { user: 'alice', port: 51234, level: 'spoof', n: 5n, blob: new Uint8Array([0xab]) });
  log.debug('not at INFO');
  log.close();
  const got = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(got.length, 1);
  const { time, ...rest } = got[0];
  assert.match(String(time), /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(rest, {
    user: 'alice',
    port: 51234,
    level: 'info',
    n: '5',
    blob: 'ab',
    program: 'tsshd',
    pid: process.pid,
    message: 'Accepted publickey for alice',
  });
});

test('LogLevel words parse case-insensitively', () => {
  assert.equal(parseLogLevel('debug3'), 'DEBUG3');
  assert.equal(parseLogLevel('Verbose'), 'VERBOSE');
  assert.equal(parseLogLevel('loud'), undefined);
});

test('an unopenable -E file is an error worded like sshd', () => {
  assert.throws(
    () => createServerLogger({ program: 'tsshd', level: 'INFO', stderr: false, file: join(dir, 'no/such/dir/log'), format: 'text' }),
    /^Error: Couldn't open logfile .*no\/such\/dir\/log: /,
  );
});
