// Where the server programs' lines go: -E, -e/-d, -D, a daemon, and what tsshd tells a worker through its
// environment; and the syslog priority of each level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOG_TO_ENV, logDestination } from '@tssh/sshd/dist/log.js';
import { syslogPrefix } from '@tssh/sshd/dist/syslog.js';

test('-E wins, then -e/-d (bare), then the foreground (stamped stderr), then syslog', () => {
  const none = { stderr: false, logFile: undefined };
  assert.deepEqual(logDestination({ ...none, logFile: '/l', stderr: true }, 'AUTH', {}), { kind: 'file', path: '/l' });
  assert.deepEqual(logDestination({ ...none, stderr: true, foreground: true }, 'AUTH', {}), { kind: 'stderr', stamped: false });
  assert.deepEqual(logDestination({ ...none, foreground: true }, 'AUTH', {}), { kind: 'stderr', stamped: true });
  assert.deepEqual(logDestination(none, 'LOCAL3', {}), { kind: 'syslog', facility: 'LOCAL3' });
});

test('a worker follows what tsshd put in its environment, and removes it', () => {
  const none = { stderr: false, logFile: undefined };
  const env: NodeJS.ProcessEnv = { [LOG_TO_ENV]: 'syslog:LOCAL5', PATH: '/bin' };
  assert.deepEqual(logDestination(none, 'AUTH', env), { kind: 'syslog-pipe', facility: 'LOCAL5' });
  assert.deepEqual(env, { PATH: '/bin' });
  assert.deepEqual(logDestination(none, 'AUTH', { [LOG_TO_ENV]: 'stderr' }), { kind: 'stderr', stamped: true });
  // Its own -E or -e still win (inetd lines name them explicitly).
  assert.deepEqual(logDestination({ stderr: true, logFile: undefined }, 'AUTH', { [LOG_TO_ENV]: 'stderr' }), { kind: 'stderr', stamped: false });
});

test('syslog priorities: facility * 8 + severity, AUTH for an unknown facility', () => {
  assert.equal(syslogPrefix('AUTH', 'info'), '<38>');
  assert.equal(syslogPrefix('authpriv', 'err'), '<83>');
  assert.equal(syslogPrefix('LOCAL7', 'debug'), '<191>');
  assert.equal(syslogPrefix('DAEMON', 'crit'), '<26>');
  assert.equal(syslogPrefix('NOPE', 'warning'), '<36>');
});
