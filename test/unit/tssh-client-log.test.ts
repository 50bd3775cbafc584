// tssh's log lines: OpenSSH's levels and prefixes, -q / -v, CR LF while the terminal is raw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createClientLogger, levelFromFlags, type ClientLogLevel } from '@tssh/ssh/dist/client-log.js';

function capture(level: ClientLogLevel) {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const log = createClientLogger(level, stream);
  return { log, text: async () => (await new Promise((r) => setImmediate(r)), text) };
}

function logAll(log: ReturnType<typeof createClientLogger>): void {
  log.fatal('f');
  log.error('e');
  log.warn('w');
  log.info('i');
  log.verbose('v');
  log.debug('d1');
  log.debug2('d2');
  log.debug3('d3');
}

test('each level shows what ssh shows at it, with debugN: prefixes', async () => {
  const want: Record<ClientLogLevel, string> = {
    QUIET: '',
    FATAL: 'f\n',
    ERROR: 'f\ne\nw\n',
    INFO: 'f\ne\nw\ni\n',
    VERBOSE: 'f\ne\nw\ni\nv\n',
    DEBUG1: 'f\ne\nw\ni\nv\ndebug1: d1\n',
    DEBUG2: 'f\ne\nw\ni\nv\ndebug1: d1\ndebug2: d2\n',
    DEBUG3: 'f\ne\nw\ni\nv\ndebug1: d1\ndebug2: d2\ndebug3: d3\n',
  };
  for (const [level, text] of Object.entries(want) as [ClientLogLevel, string][]) {
    const c = capture(level);
    logAll(c.log);
    assert.equal(await c.text(), text, level);
  }
});

test('setLevel and shows(); raw terminal lines end in CR LF', async () => {
  const c = capture('INFO');
  assert.equal(c.log.shows('INFO'), true);
  assert.equal(c.log.shows('VERBOSE'), false);
  c.log.setLevel('DEBUG1');
  assert.equal(c.log.level, 'DEBUG1');
  assert.equal(c.log.shows('DEBUG1'), true);
  assert.equal(c.log.shows('DEBUG2'), false);
  c.log.setRawTerminal(true);
  c.log.debug('raw');
  c.log.setRawTerminal(false);
  c.log.info('cooked');
  assert.equal(await c.text(), 'debug1: raw\r\ncooked\n');
  c.log.setLevel('QUIET');
  assert.equal(c.log.shows('FATAL'), false);
});

test('-v counts and -q', () => {
  assert.equal(levelFromFlags(false, 0), undefined);
  assert.equal(levelFromFlags(true, 0), 'QUIET');
  assert.equal(levelFromFlags(false, 1), 'DEBUG1');
  assert.equal(levelFromFlags(true, 2), 'DEBUG2');
  assert.equal(levelFromFlags(false, 5), 'DEBUG3');
});
