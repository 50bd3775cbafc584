// tssh's known_hosts decision with the question and the files under test control: every outcome, the lines
// it prints, and what it writes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { Ed25519PrivateKey, fingerprintSha256, formatKnownHostLine, knownHostMatches, parseKnownHosts } from '@tssh/ssh-protocol/keys';
import type { ClientLogger } from '@tssh/ssh/dist/client-log.js';
import { CONFIRM_PROMPT, checkHostKey, type HostKeyPolicy } from '@tssh/ssh/dist/host-key-check.js';
import { NoTerminalError } from '@tssh/ssh/dist/terminal-prompt.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const hostKey = new Ed25519PrivateKey(systemRandom(32)).publicKey;
const otherKey = new Ed25519PrivateKey(systemRandom(32)).publicKey;
const FP = fingerprintSha256(hostKey);

interface Recorder {
  lines: string[];
  told: string;
  asked: string[];
}

function fakeLog(rec: Recorder): ClientLogger {
  const at = (level: string) => (m: string) => void rec.lines.push(`${level}: ${m}`);
  return {
    fatal: at('fatal'),
    error: at('error'),
    warn: at('error'),
    info: at('info'),
    verbose: at('verbose'),
    debug: at('debug1'),
    debug2: at('debug2'),
    debug3: at('debug3'),
    level: 'DEBUG3',
    setLevel() {},
    shows: () => true,
    setRawTerminal() {},
  };
}

function policy(over: Partial<HostKeyPolicy> = {}): HostKeyPolicy {
  const dir = mkdtempSync(join(tmpdir(), 'tssh-hk-'));
  dirs.push(dir);
  return {
    host: 'server.example',
    lookupName: '[server.example]:2222',
    userKnownHostsFiles: [join(dir, 'ssh', 'known_hosts'), join(dir, 'known_hosts2')],
    globalKnownHostsFiles: [join(dir, 'global')],
    strictHostKeyChecking: 'ask',
    batchMode: false,
    hashKnownHosts: false,
    ...over,
  };
}

/** Runs the check; `answer` is what the terminal gives (undefined: end of input), or the error asking throws. */
async function check(p: HostKeyPolicy, answer: string | undefined | Error) {
  const rec: Recorder = { lines: [], told: '', asked: [] };
  const ok = await checkHostKey(hostKey, p, {
    log: fakeLog(rec),
    tell: (t) => void (rec.told += t),
    ask: async (prompt) => {
      rec.asked.push(prompt);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    random: systemRandom,
  });
  return { ok, ...rec };
}

const ADDED = "info: Warning: Permanently added '[server.example]:2222' (ED25519) to the list of known hosts.";

test('a known key, in any configured file (here the global one), is accepted without a word', async () => {
  const p = policy();
  writeFileSync(p.globalKnownHostsFiles[0], `${formatKnownHostLine('other', otherKey)}\n${formatKnownHostLine(p.lookupName, hostKey)}\n`);
  const r = await check(p, 'no');
  assert.equal(r.ok, true);
  assert.deepEqual(r.asked, []);
  assert.ok(r.lines.includes(`debug1: Found key in ${p.globalKnownHostsFiles[0]}:2`));
  assert.ok(r.lines.includes("debug1: Host '[server.example]:2222' is known and matches the ED25519 host key."));
  assert.ok(!r.lines.some((l) => l.startsWith('error') || l.startsWith('info')));
});

test('ask: only the exact answer "yes" accepts; the line is added to the first user file, ~/.ssh made', async () => {
  for (const [answer, accepted] of [['yes', true], ['YES', false], ['y', false], ['no', false], ['', false], [undefined, false]] as const) {
    const p = policy();
    const r = await check(p, answer);
    assert.equal(r.ok, accepted, String(answer));
    assert.deepEqual(r.asked, [CONFIRM_PROMPT]);
    assert.equal(r.told, `Host key not found from the list of known hosts.\nED25519 key fingerprint is ${FP}.\n`);
    assert.equal(existsSync(p.userKnownHostsFiles[0]), accepted);
    if (accepted) {
      assert.equal(readFileSync(p.userKnownHostsFiles[0], 'latin1'), `${formatKnownHostLine(p.lookupName, hostKey)}\n`);
      assert.ok(r.lines.includes(ADDED));
    }
  }
});

test('ask with no terminal, or in BatchMode: refused with a reason, nothing written', async () => {
  const p = policy();
  const r = await check(p, new NoTerminalError());
  assert.equal(r.ok, false);
  assert.ok(r.lines.some((l) => /^error: No ED25519 host key is known for server\.example and there is no terminal/.test(l)));
  const b = await check(policy({ batchMode: true }), 'yes');
  assert.equal(b.ok, false);
  assert.deepEqual(b.asked, []);
  assert.ok(b.lines.some((l) => /BatchMode/.test(l)));
  assert.equal(existsSync(p.userKnownHostsFiles[0]), false);
});

test('yes refuses an unknown key; accept-new and no add it without asking', async () => {
  const y = await check(policy({ strictHostKeyChecking: 'yes' }), 'yes');
  assert.equal(y.ok, false);
  assert.ok(y.lines.includes('error: No ED25519 host key is known for server.example and you have requested strict checking.'));
  for (const mode of ['accept-new', 'no'] as const) {
    const p = policy({ strictHostKeyChecking: mode });
    const r = await check(p, 'yes');
    assert.equal(r.ok, true);
    assert.deepEqual(r.asked, []);
    assert.ok(r.lines.includes(ADDED));
  }
});

test('HashKnownHosts: the added name is hashed and matches; a file without final newline gets one', async () => {
  const p = policy({ strictHostKeyChecking: 'accept-new', hashKnownHosts: true, userKnownHostsFiles: [join(tmpdir(), `tssh-hk-${process.pid}-kh`)] });
  dirs.push(p.userKnownHostsFiles[0]);
  writeFileSync(p.userKnownHostsFiles[0], formatKnownHostLine('first.example', otherKey));
  assert.equal((await check(p, 'yes')).ok, true);
  const text = readFileSync(p.userKnownHostsFiles[0], 'latin1');
  const entries = parseKnownHosts(text).entries;
  assert.equal(entries.length, 2);
  assert.equal(entries[1].names.kind, 'hashed');
  assert.ok(knownHostMatches(entries[1], p.lookupName));
  assert.ok(text.endsWith('\n'));
});

test('a changed key is refused in every mode, with the warning block and the offending line', async () => {
  for (const mode of ['ask', 'yes', 'accept-new', 'no'] as const) {
    const p = policy({ strictHostKeyChecking: mode });
    writeFileSync(p.userKnownHostsFiles[1], `# comment\n${formatKnownHostLine(p.lookupName, otherKey)}\n`);
    const r = await check(p, 'yes');
    assert.equal(r.ok, false, mode);
    assert.deepEqual(r.asked, []);
    const errors = r.lines.filter((l) => l.startsWith('error: ')).map((l) => l.slice(7));
    assert.equal(errors[1], '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @');
    assert.equal(errors[3], 'WARNING: HOST IDENTIFICATION HAS CHANGED!');
    assert.ok(errors.includes(`${FP}.`));
    assert.ok(errors.includes(`Add correct host key in ${p.userKnownHostsFiles[0]} to get rid of this message.`));
    assert.ok(errors.includes(`Offending ED25519 key in ${p.userKnownHostsFiles[1]}:2`));
    assert.match(errors.at(-1) ?? '', /^Host key for server\.example has changed/);
    assert.equal(existsSync(p.userKnownHostsFiles[0]), false);
  }
});

test('a revoked key is refused with its own block', async () => {
  const p = policy({ strictHostKeyChecking: 'no' });
  writeFileSync(p.globalKnownHostsFiles[0], `@revoked ${formatKnownHostLine('*', hostKey)}\n`);
  const r = await check(p, 'yes');
  assert.equal(r.ok, false);
  assert.ok(r.lines.includes('error: The ED25519 host key for server.example is marked as revoked.'));
});
