// The worker's password check and its helpers, without root: shadow lines, account and password expiry, the
// empty-password and root rules, equal work for unknown users, sshd's failure delay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Account } from '@tssh/sshd/dist/accounts.js';
import { FailureDelay } from '@tssh/sshd/dist/failure-delay.js';
import { DUMMY_HASH, checkSystemPassword, type PasswordCheckContext } from '@tssh/sshd/dist/password-check.js';
import { accountExpired, accountLocked, parseShadowLine, passwordExpired, type ShadowEntry } from '@tssh/sshd/dist/shadow.js';
import { silentLogger, type Logger } from '@tssh/ssh-protocol/wire';

// `mkpasswd -m sha512crypt -R 1234 x` (cheap to check; yescrypt is covered by the crypto vectors).
const X_HASH = '$6$rounds=1234$0USWrtjjStP5js8j$V2gh2FEo2S7Pfzm12tfzXYDxs.SvRvceB9vx2.LWOCJgOWlN1.MA/YLuQPu06HB5ZQWSCoH9ppQgXGpqyvngb/';
const DAY = 86_400_000;
const TODAY = 20_000;

const alice: Account = { name: 'alice', uid: 1000, gid: 1000, gecos: '', home: '/home/alice', shell: '/bin/bash' };
const root: Account = { name: 'root', uid: 0, gid: 0, gecos: '', home: '/root', shell: '/bin/bash' };

function shadow(fields: string): ShadowEntry {
  const e = parseShadowLine(fields);
  assert.ok(e, fields);
  return e;
}

function recordingLog(lines: string[]): Logger {
  const put = (m: string): void => void lines.push(m);
  return { ...silentLogger, error: put, warn: put, info: put, verbose: put, debug: put };
}

function context(entries: Record<string, ShadowEntry>, over: Partial<PasswordCheckContext> = {}): PasswordCheckContext & { lines: string[]; hashed: string[] } {
  const lines: string[] = [];
  const hashed: string[] = [];
  return {
    permitEmptyPasswords: false,
    permitRootLogin: 'prohibit-password',
    log: recordingLog(lines),
    now: () => TODAY * DAY + 1000,
    from: '192.0.2.1 port 5555',
    readShadow: (name) => entries[name],
    verify: (password, hash) => {
      hashed.push(hash);
      return hash === X_HASH && new TextDecoder().decode(password) === 'x';
    },
    lines,
    hashed,
    ...over,
  };
}

test('shadow lines: fields, locks and expiry days', () => {
  const e = shadow(`alice:${X_HASH}:19000:0:90:7:5:21000:`);
  assert.equal(e.hash, X_HASH);
  assert.equal(e.lastChange, 19000);
  assert.equal(e.maxDays, 90);
  assert.equal(e.inactiveDays, 5);
  assert.equal(e.expireDay, 21000);
  assert.equal(parseShadowLine('alice:x:1'), undefined, 'too few fields');
  assert.equal(parseShadowLine(':x:1:2:3:4:5:6:'), undefined, 'no name');
  assert.equal(accountLocked(shadow(`a:!${X_HASH}:1::::::`)), true);
  assert.equal(accountLocked(shadow('a:!:1::::::')), true);
  assert.equal(accountLocked(shadow('a:*:1::::::')), false, '"*" is no password, not a lock (key logins stay possible)');
  assert.equal(accountExpired(shadow('a:x:1:::::19999:'), TODAY), true);
  assert.equal(accountExpired(shadow('a:x:1:::::20000:'), TODAY), true);
  assert.equal(accountExpired(shadow('a:x:1:::::20001:'), TODAY), false);
  assert.equal(accountExpired(shadow('a:x:1::::::'), TODAY), false);
  assert.equal(passwordExpired(shadow('a:x:0:0:99999:7:::'), TODAY), true, 'chage -d 0 forces a change');
  assert.equal(passwordExpired(shadow('a:x:19000:0:99999:7:::'), TODAY), false);
  assert.equal(passwordExpired(shadow('a:x:19000:0:30:7:::'), TODAY), true);
  assert.equal(passwordExpired(shadow('a:x:19990:0:30:7:::'), TODAY), false);
});

test('the right password is accepted, a wrong one refused without logging it', () => {
  const ctx = context({ alice: shadow(`alice:${X_HASH}:19999:0:99999:7:::`) });
  assert.equal(checkSystemPassword(alice, 'x', ctx), true);
  assert.equal(checkSystemPassword(alice, 'secret-guess', ctx), false);
  assert.ok(ctx.lines.some((l) => /Password check for alice from 192\.0\.2\.1 port 5555: password does not match/.test(l)));
  assert.ok(!ctx.lines.some((l) => l.includes('secret-guess')), 'the password never reaches a log line');
});

test('every refusal hashes exactly once: unknown users, missing shadow entries and empty hashes cost the same', () => {
  const entries = { alice: shadow(`alice:${X_HASH}:19999:0:99999:7:::`), nopw: shadow('nopw::19999:0:99999:7:::') };
  const cases: Array<[Account | undefined, string]> = [
    [undefined, 'x'],
    [alice, 'wrong'],
    [{ ...alice, name: 'ghost' }, 'x'],
    [{ ...alice, name: 'nopw' }, ''],
  ];
  for (const [account, password] of cases) {
    const ctx = context(entries);
    assert.equal(checkSystemPassword(account, password, ctx), false);
    assert.equal(ctx.hashed.length, 1, `${account?.name}: one hash`);
  }
  const unknown = context(entries);
  checkSystemPassword(undefined, 'x', unknown);
  assert.deepEqual(unknown.hashed, [DUMMY_HASH]);
  assert.match(DUMMY_HASH, /^\$y\$j9T\$/, 'the stand-in hash costs what Debian 12 hashes new passwords with');
});

test('empty passwords only with PermitEmptyPasswords yes, and only for an account without one', () => {
  const entries = { nopw: shadow('nopw::19999:0:99999:7:::') };
  const nopw = { ...alice, name: 'nopw' };
  const refused = context(entries);
  assert.equal(checkSystemPassword(nopw, '', refused), false);
  assert.ok(refused.lines.some((l) => /empty password refused \(PermitEmptyPasswords no\)/.test(l)));
  assert.equal(checkSystemPassword(nopw, '', context(entries, { permitEmptyPasswords: true })), true);
  assert.equal(checkSystemPassword(nopw, 'something', context(entries, { permitEmptyPasswords: true })), false);
});

test('PermitRootLogin: only "yes" lets root use a password', () => {
  const entries = { root: shadow(`root:${X_HASH}:19999:0:99999:7:::`) };
  for (const permit of ['prohibit-password', 'forced-commands-only', 'no'] as const) {
    const ctx = context(entries, { permitRootLogin: permit });
    assert.equal(checkSystemPassword(root, 'x', ctx), false, permit);
    assert.ok(ctx.lines.some((l) => l.startsWith('ROOT LOGIN REFUSED FROM 192.0.2.1 port 5555')), permit);
  }
  assert.equal(checkSystemPassword(root, 'x', context(entries, { permitRootLogin: 'yes' })), true);
});

test('an expired password is refused, and says so in the log', () => {
  const ctx = context({ alice: shadow(`alice:${X_HASH}:19000:0:30:7:::`) });
  assert.equal(checkSystemPassword(alice, 'x', ctx), false);
  assert.ok(ctx.lines.some((l) => l === 'User alice password has expired (password aged): password login refused'));
  const forced = context({ alice: shadow(`alice:${X_HASH}:0:0:99999:7:::`) });
  assert.equal(checkSystemPassword(alice, 'x', forced), false);
  assert.ok(forced.lines.some((l) => l.includes('(root forced)')));
});

test('no readable shadow entry (not root): refused after the same hash', () => {
  const ctx = context({});
  assert.equal(checkSystemPassword(alice, 'x', ctx), false);
  assert.deepEqual(ctx.hashed, [DUMMY_HASH]);
  assert.ok(ctx.lines.some((l) => /no shadow entry readable/.test(l)));
});

test("failure delay: sshd's per-user minimum, doubled until it covers the time taken", () => {
  let now = 0;
  const delay = new FailureDelay(new Uint8Array(16).fill(7), () => now);
  const base = delay.userDelay('alice');
  assert.ok(base >= 5 && base < 5 + 4.3, `${base}`);
  assert.equal(delay.userDelay('alice'), base, 'fixed per name');
  assert.notEqual(delay.userDelay('bob'), base);
  now = 1;
  assert.equal(delay.remaining('alice', 0), base - 1);
  // A slow check (a real hash, a dummy hash) lands on the same quantised answer time.
  for (const elapsed of [300, 310, base * 64 - 1]) {
    now = elapsed;
    assert.equal(delay.remaining('alice', 0) + elapsed, base * 64, `${elapsed} ms`);
  }
  now = base * 64 + 1;
  assert.equal(delay.remaining('alice', 0) + now, base * 128);
});
