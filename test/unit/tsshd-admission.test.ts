// The listener's admission control as pure logic: MaxStartups' random early drop, per-source blocks and limits,
// PerSourcePenalties with min/max/exemptions/overflow, and how a worker's end turns into a cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PENALTY_DEFAULTS } from '@tssh/ssh-protocol/config';
import type { PenaltySettings } from '@tssh/ssh-protocol/config';
import { Admission } from '@tssh/sshd/dist/admission.js';
import { sessionExitStatus, workerEndCause } from '@tssh/sshd/dist/exit-status.js';
import { takeSystemdListenFds } from '@tssh/sshd/dist/inherited-listeners.js';
import { createServerLogger } from '@tssh/sshd/dist/log.js';
import type { ServerLogger } from '@tssh/sshd/dist/log.js';
import { PenaltyBox } from '@tssh/sshd/dist/penalty-box.js';
import { formatIpv6, sourceBlock } from '@tssh/sshd/dist/source-block.js';
import { shouldDrop, StartupTable } from '@tssh/sshd/dist/startups.js';

/** A logger that keeps its lines. */
function memoryLog(): { log: ServerLogger; lines: string[] } {
  const lines: string[] = [];
  const log = createServerLogger({ program: 'tsshd', level: 'DEBUG3', destination: { kind: 'stderr', stamped: false }, format: 'text' });
  for (const m of ['fatal', 'error', 'warn', 'info', 'verbose', 'debug', 'debug2', 'debug3'] as const) {
    (log as unknown as Record<string, unknown>)[m] = (text: string) => lines.push(`${m}: ${text}`);
  }
  return { log, lines };
}

function clock(): { now: () => number; advance(s: number): void } {
  let t = 1000;
  return { now: () => t, advance: (s) => (t += s) };
}

const NET = { v4: 32, v6: 128 };
const settings = (over: Partial<PenaltySettings> = {}): PenaltySettings => ({ ...PENALTY_DEFAULTS, ...over });

test('random early drop: never below start, always from full on, rate% at start rising linearly', () => {
  const limits = { start: 10, rate: 30, full: 20 };
  const dropped = (startups: number) => Array.from({ length: 100 }, (_, r) => shouldDrop(startups, limits, () => r)).filter(Boolean).length;
  assert.deepEqual([0, 9].map(dropped), [0, 0]);
  assert.equal(dropped(10), 30);
  assert.equal(dropped(15), 65); // 30 + (70 * 5) / 10
  assert.equal(dropped(19), 93); // 30 + floor(70 * 9 / 10)
  assert.deepEqual([20, 500].map(dropped), [100, 100]);
  assert.equal(shouldDrop(5, { start: 5, rate: 100, full: 8 }, () => 99), true);
});

test('source blocks mask the host bits; the startup table counts per block', () => {
  assert.equal(sourceBlock('127.0.0.2', NET)?.key, '127.0.0.2/32');
  assert.equal(sourceBlock('10.1.2.3', { v4: 24, v6: 64 })?.key, '10.1.2.0/24');
  assert.equal(sourceBlock('::ffff:10.1.2.3', { v4: 16, v6: 64 })?.key, '10.1.0.0/16');
  assert.equal(sourceBlock('2001:db8:1:2:3:4:5:6', { v4: 32, v6: 64 })?.key, '2001:db8:1:2::/64');
  assert.equal(sourceBlock('2001:db8::1', { v4: 32, v6: 0 })?.key, '::/0');
  assert.equal(sourceBlock('not an address', NET), undefined);
  assert.equal(formatIpv6(new Uint8Array(16)), '::');
  assert.equal(formatIpv6(Uint8Array.from([0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4])), '1:0:2::3:0:4');
  const t = new StartupTable();
  t.add(1, 'a');
  t.add(2, 'a');
  t.add(3, 'b');
  t.add(3, 'b');
  assert.deepEqual([t.size, t.countFor('a'), t.countFor('b')], [3, 2, 1]);
  t.remove(1);
  t.remove(1);
  t.remove(3);
  assert.deepEqual([t.size, t.countFor('a'), t.countFor('b'), t.has(2)], [1, 1, 0, true]);
});

test('penalties add up per block, activate past min, stop at max and expire', () => {
  const { log, lines } = memoryLog();
  const c = clock();
  const box = new PenaltyBox({ settings: settings(), netBlock: { v4: 24, v6: 64 }, exempt: undefined }, log, c.now);
  box.penalise('10.0.0.1', 'authfail'); // 5 s: deferred
  assert.equal(box.refusal('10.0.0.1'), undefined);
  assert.match(lines.at(-1)!, /^verbose: ipv4: new 10\.0\.0\.0\/24 deferred penalty of 5\.000 seconds for penalty: failed authentication$/);
  box.penalise('10.0.0.2', 'grace-exceeded'); // same /24: 15 s, still not more than min
  assert.equal(box.refusal('10.0.0.9'), undefined);
  box.penalise('10.0.0.3', 'noauth'); // 16 s > min
  assert.match(lines.at(-1)!, /^info: 10\.0\.0\.0\/24: activating ipv4 penalty of 16\.000 seconds/);
  assert.equal(box.refusal('10.0.0.200'), 'penalty: connections without attempting authentication');
  assert.equal(box.refusal('10.0.1.1'), undefined, 'another block');
  box.penalise('10.0.0.4', 'crash');
  box.penalise('10.0.0.4', 'crash');
  box.penalise('10.0.0.4', 'crash');
  box.penalise('10.0.0.4', 'crash');
  box.penalise('10.0.0.4', 'crash');
  box.penalise('10.0.0.4', 'crash');
  box.penalise('10.0.0.4', 'crash');
  assert.ok(box.export()[0].secondsLeft <= 600, 'never beyond max');
  c.advance(599);
  assert.equal(box.refusal('10.0.0.4'), 'penalty: caused crash');
  c.advance(2);
  assert.equal(box.refusal('10.0.0.4'), undefined);
  assert.deepEqual(box.export(), []);

  const crash = new PenaltyBox({ settings: settings(), netBlock: NET, exempt: undefined }, log, c.now);
  crash.penalise('192.0.2.1', 'crash'); // 90 s > 15 s: active at once
  assert.equal(crash.refusal('192.0.2.1'), 'penalty: caused crash');
});

test('exempt sources, disabled penalties, the table limit and a hand-over to a new listener', () => {
  const { log } = memoryLog();
  const c = clock();
  const policy = { settings: settings({ min: 0 }), netBlock: NET, exempt: '127.0.0.3,10.9.0.0/16' };
  const box = new PenaltyBox(policy, log, c.now);
  for (const a of ['127.0.0.2', '127.0.0.3', '10.9.8.7']) box.penalise(a, 'authfail');
  assert.equal(box.refusal('127.0.0.2'), 'penalty: failed authentication');
  assert.equal(box.refusal('127.0.0.3'), undefined);
  assert.equal(box.refusal('10.9.8.7'), undefined);

  const next = new PenaltyBox(policy, log, c.now);
  next.import(box.export());
  assert.equal(next.refusal('127.0.0.2'), 'penalty: failed authentication');

  const off = new PenaltyBox({ ...policy, settings: settings({ enabled: false, min: 0 }) }, log, c.now);
  off.penalise('127.0.0.2', 'crash');
  assert.equal(off.refusal('127.0.0.2'), undefined);

  const small = { settings: settings({ min: 0, maxSources4: 2 }), netBlock: NET, exempt: undefined };
  const permissive = new PenaltyBox(small, log, c.now);
  permissive.penalise('192.0.2.1', 'authfail');
  c.advance(1);
  permissive.penalise('192.0.2.2', 'authfail');
  permissive.penalise('192.0.2.3', 'authfail');
  assert.equal(permissive.refusal('192.0.2.1'), undefined, 'the soonest to expire made room');
  assert.equal(permissive.refusal('192.0.2.3'), 'penalty: failed authentication');
  const denyAll = new PenaltyBox({ ...small, settings: settings({ min: 0, maxSources4: 2, overflow: 'deny-all' }) }, log, c.now);
  denyAll.penalise('192.0.2.1', 'authfail');
  denyAll.penalise('192.0.2.2', 'authfail');
  assert.equal(denyAll.refusal('198.51.100.1'), 'too many penalised addresses');
  assert.equal(denyAll.refusal('2001:db8::1'), undefined, 'IPv6 has its own table');
});

test('admission: penalties first, then MaxStartups and PerSourceMaxStartups over unauthenticated connections', () => {
  const { log, lines } = memoryLog();
  const c = clock();
  const box = new PenaltyBox({ settings: settings({ min: 0 }), netBlock: NET, exempt: undefined }, log, c.now);
  const admission = new Admission(
    { maxStartups: { start: 3, rate: 100, full: 3 }, perSourceMaxStartups: 2, netBlock: NET },
    box,
    log,
    () => 0,
    c.now,
  );
  const from = (peerAddress: string, peerPort = 40000) => ({ peerAddress, peerPort, localAddress: '127.0.0.1', localPort: 22 });
  const a = admission.admit(from('127.0.0.1'));
  const b = admission.admit(from('127.0.0.1'));
  assert.ok(a.admitted && b.admitted);
  assert.deepEqual(admission.admit(from('127.0.0.1', 40001)), { admitted: false, reason: 'PerSourceMaxStartups' });
  assert.match(lines.at(-1)!, /^info: drop connection #2 from \[127\.0\.0\.1\]:40001 on \[127\.0\.0\.1\]:22 PerSourceMaxStartups$/);
  const other = admission.admit(from('127.0.0.2'));
  assert.ok(other.admitted);
  assert.deepEqual(admission.admit(from('127.0.0.4')), { admitted: false, reason: 'Maxstartups' });
  if (a.admitted) admission.settled(a.id); // authenticated: no longer a startup
  assert.ok(admission.admit(from('127.0.0.4')).admitted);
  box.penalise('127.0.0.9', 'crash');
  assert.deepEqual(admission.admit(from('127.0.0.9')), { admitted: false, reason: 'penalty: caused crash' });
});

test('drop lines are rate-limited, with a count of what was left out', () => {
  const { log, lines } = memoryLog();
  const c = clock();
  const box = new PenaltyBox({ settings: settings(), netBlock: NET, exempt: undefined }, log, c.now);
  const admission = new Admission({ maxStartups: { start: 1, rate: 100, full: 1 }, perSourceMaxStartups: undefined, netBlock: NET }, box, log, () => 0, c.now);
  admission.admit({ peerAddress: '127.0.0.1', peerPort: 1, localAddress: '127.0.0.1', localPort: 22 });
  for (let i = 0; i < 50; i++) admission.admit({ peerAddress: '127.0.0.1', peerPort: 2, localAddress: '127.0.0.1', localPort: 22 });
  assert.equal(lines.filter((l) => l.startsWith('info: drop connection')).length, 20);
  assert.equal(lines.filter((l) => l.startsWith('debug3: drop connection')).length, 30);
  c.advance(61);
  admission.admit({ peerAddress: '127.0.0.1', peerPort: 3, localAddress: '127.0.0.1', localPort: 22 });
  assert.equal(lines.at(-1), 'info: Maxstartups logging rate-limited: additional 30 connections dropped');
});

test('a worker end is read into a cause; only a fault signal is a crash', () => {
  const cases: [number | null, NodeJS.Signals | null, boolean, string][] = [
    [0, null, false, 'normal'],
    [255, null, false, 'noauth'],
    [3, null, false, 'grace-exceeded'],
    [5, null, false, 'authfail'],
    [7, null, false, 'invaliduser'],
    [4, null, true, 'crash'],
    [5, null, true, 'normal'],
    [null, 'SIGSEGV', true, 'crash'],
    [null, 'SIGKILL', false, 'killed'],
  ];
  for (const [code, signal, authenticated, cause] of cases) {
    assert.equal(workerEndCause(code, signal, authenticated), cause, `${code} ${signal} ${authenticated}`);
  }
  assert.equal(sessionExitStatus({ authenticated: true, attempted: true, invalidUser: true }), 0);
  assert.equal(sessionExitStatus({ authenticated: false, attempted: true, invalidUser: false }), 5);
  assert.equal(sessionExitStatus({ authenticated: false, attempted: true, invalidUser: true }), 7);
  assert.equal(sessionExitStatus({ authenticated: false, attempted: false, invalidUser: false }), 255);
});

test('LISTEN_FDS counts from fd 3 and only for our pid; the variables never reach a child', () => {
  const env: NodeJS.ProcessEnv = { LISTEN_PID: '4242', LISTEN_FDS: '2', LISTEN_FDNAMES: 'a:b', KEEP: '1' };
  assert.deepEqual(takeSystemdListenFds(env, 4242), [3, 4]);
  assert.deepEqual(env, { KEEP: '1' });
  assert.deepEqual(takeSystemdListenFds({ LISTEN_PID: '4243', LISTEN_FDS: '2' }, 4242), []);
  assert.deepEqual(takeSystemdListenFds({ LISTEN_FDS: '2' }, 4242), []);
  assert.deepEqual(takeSystemdListenFds({ LISTEN_PID: '4242', LISTEN_FDS: 'x' }, 4242), []);
});
