import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import {
  checkKnownHost,
  findKnownHost,
  formatKnownHostLine,
  hashKnownHostName,
  hashKnownHosts,
  hostKeyLookupName,
  knownHostKeyTypes,
  matchHostPatterns,
  matchPattern,
  matchPatternList,
  parseKnownHosts,
  parsePublicKeyLine,
  removeKnownHost,
  type KnownHostCheck,
  type PublicKey,
} from '@tssh/ssh-protocol/keys';
import { keyFixture, keyFixtureLines } from '../helpers/key-fixtures.js';

const pub = (name: string): PublicKey => parsePublicKeyLine(keyFixtureLines(name)[0]).key;
const HOST_A = pub('host_a_ed25519.pub');
const HOST_B = pub('host_b_ed25519.pub');
const REVOKED = pub('host_revoked_ed25519.pub');
const KNOWN = parseKnownHosts(keyFixture('known_hosts'), 'known_hosts');
const HASHED = parseKnownHosts(keyFixture('known_hosts_hashed'), 'known_hosts_hashed');

function where(c: KnownHostCheck): string {
  return c.status === 'not-found' ? 'not-found' : `${c.status}:${c.entry.line}`;
}

test('hostKeyLookupName: host on port 22, else [host]:port, lower case', () => {
  assert.equal(hostKeyLookupName('Example.COM'), 'example.com');
  assert.equal(hostKeyLookupName('example.com', 22), 'example.com');
  assert.equal(hostKeyLookupName('example.com', 2222), '[example.com]:2222');
  assert.equal(hostKeyLookupName('::1', 2022), '[::1]:2022');
});

test('the ssh-keygen fixture parses: every entry, markers, line numbers, every key type parsed', () => {
  assert.deepEqual(KNOWN.problems, []);
  assert.deepEqual(
    KNOWN.entries.map((e) => [e.line, e.marker ?? '', e.keyType, e.key ? 'parsed' : 'blob']),
    [
      [2, '', 'ssh-ed25519', 'parsed'],
      [3, '', 'ecdsa-sha2-nistp256', 'parsed'],
      [5, '', 'ssh-ed25519', 'parsed'],
      [6, '', 'ssh-ed25519', 'parsed'],
      [7, '', 'ssh-ed25519', 'parsed'],
      [8, 'revoked', 'ssh-ed25519', 'parsed'],
      [9, 'cert-authority', 'ssh-ed25519', 'parsed'],
      [10, '', 'ssh-ed25519', 'parsed'],
    ],
  );
  assert.equal(KNOWN.entries[3].comment, 'wildcard entry');
  assert.equal(KNOWN.entries[0].file, 'known_hosts');
});

// [name, key, plain-file result, hashed-file result]
const LOOKUPS: ReadonlyArray<readonly [string, PublicKey, string, string]> = [
  ['host1.example.com', HOST_A, 'found:2', 'found:2'],
  ['192.0.2.1', HOST_A, 'found:2', 'found:3'],
  ['host1.example.com', HOST_B, 'changed:2', 'changed:2'],
  ['[host1.example.com]:2222', HOST_B, 'found:5', 'found:6'],
  ['[host1.example.com]:2222', HOST_A, 'changed:5', 'changed:6'],
  ['host1.example.com:2222', HOST_B, 'not-found', 'not-found'],
  ['x.wild.example.com', HOST_B, 'found:6', 'found:7'],
  ['bad.wild.example.com', HOST_B, 'not-found', 'not-found'],
  ['host1.q.example.com', HOST_A, 'found:7', 'found:8'],
  ['host12.q.example.com', HOST_A, 'not-found', 'not-found'],
  ['host2.example.com', HOST_B, 'found:10', 'found:11'],
  ['nowhere.example.org', HOST_A, 'not-found', 'not-found'],
  ['host1.example.com', REVOKED, 'revoked:8', 'revoked:9'],
  ['nowhere.example.org', REVOKED, 'revoked:8', 'revoked:9'],
];
for (const [name, key, plain, hashed] of LOOKUPS) {
  test(`checkKnownHost ${name} with ${key === HOST_A ? 'key A' : key === HOST_B ? 'key B' : 'the revoked key'}`, () => {
    assert.equal(where(checkKnownHost(KNOWN.entries, name, key)), plain);
    assert.equal(where(checkKnownHost(HASHED.entries, name, key)), hashed);
  });
}

test('host names match case-insensitively in plain entries', () => {
  assert.equal(where(checkKnownHost(KNOWN.entries, 'HOST2.example.com', HOST_B)), 'found:10');
});

test('changed reports file and line of the offending entry, and the key types known for the host', () => {
  const c = checkKnownHost(KNOWN.entries, 'host1.example.com', HOST_B);
  assert.equal(c.status, 'changed');
  if (c.status !== 'changed') return;
  assert.equal(c.file, 'known_hosts');
  assert.equal(c.line, 2);
  assert.deepEqual(c.knownKeyTypes, ['ssh-ed25519', 'ecdsa-sha2-nistp256']);
});

test('knownHostKeyTypes lists the types recorded for a host before any key is seen', () => {
  assert.deepEqual(knownHostKeyTypes(KNOWN.entries, 'host1.example.com'), ['ssh-ed25519', 'ecdsa-sha2-nistp256']);
  assert.deepEqual(knownHostKeyTypes(HASHED.entries, '192.0.2.1'), ['ssh-ed25519']);
  assert.deepEqual(knownHostKeyTypes(KNOWN.entries, 'nowhere.example.org'), []);
});

test('keys of another type only: not-found, with the known types listed', () => {
  const text = keyFixtureLines('known_hosts')[2] + '\n'; // host1.example.com ecdsa-sha2-nistp256 ...
  const c = checkKnownHost(parseKnownHosts(text).entries, 'host1.example.com', HOST_A);
  assert.equal(c.status, 'not-found');
  assert.deepEqual(c.knownKeyTypes, ['ecdsa-sha2-nistp256']);
});

test('an ECDSA host key is found by its own line; an RSA key of the host is not-found with the known types', () => {
  const ecdsa = pub('host_a_ecdsa.pub');
  assert.equal(where(checkKnownHost(KNOWN.entries, 'host1.example.com', ecdsa)), 'found:3');
  assert.equal(where(checkKnownHost(HASHED.entries, 'host1.example.com', ecdsa)), 'found:4'); // -H split line 2 in two
  const c = checkKnownHost(KNOWN.entries, 'host1.example.com', pub('id_rsa.pub'));
  assert.equal(c.status, 'not-found');
  assert.deepEqual(c.knownKeyTypes, ['ssh-ed25519', 'ecdsa-sha2-nistp256']);
  const line = formatKnownHostLine('rsa.example.com', pub('id_rsa.pub'));
  assert.match(line, /^rsa\.example\.com ssh-rsa AAAAB3NzaC1yc2E/);
  assert.equal(where(checkKnownHost(parseKnownHosts(`${line}\n`).entries, 'rsa.example.com', pub('id_rsa.pub'))), 'found:1');
});

test('a found entry later in the file wins over an earlier different key of the same type', () => {
  const a = formatKnownHostLine('h', HOST_A);
  const b = formatKnownHostLine('h', HOST_B);
  assert.equal(where(checkKnownHost(parseKnownHosts(`${a}\n${b}\n`).entries, 'h', HOST_B)), 'found:2');
  assert.equal(where(checkKnownHost(parseKnownHosts(`${a}\n${a}\n`).entries, 'h', HOST_B)), 'changed:2');
});

test('cert-authority entries do not vouch for plain keys', () => {
  const ca = pub('host_ca_ed25519.pub');
  assert.equal(where(checkKnownHost(KNOWN.entries, 'other.example.com', ca)), 'not-found');
});

test('hashed names: the fixture salt reproduces ssh-keygen -H output', () => {
  const e = HASHED.entries[0];
  assert.equal(e.names.kind, 'hashed');
  if (e.names.kind !== 'hashed') return;
  assert.equal(hashKnownHostName('host1.example.com', e.names.salt), e.hostsField);
});

test('formatKnownHostLine, plain and hashed, reads back as found', () => {
  for (const hash of [false, true]) {
    const line = formatKnownHostLine('[h.example]:2200', HOST_A, { hash, random: systemRandom });
    assert.equal(line.startsWith('|1|'), hash);
    assert.ok(line.endsWith(keyFixtureLines('host_a_ed25519.pub')[0].split(' ').slice(0, 2).join(' ')));
    assert.equal(where(checkKnownHost(parseKnownHosts(line).entries, '[h.example]:2200', HOST_A)), 'found:1');
  }
  assert.throws(() => formatKnownHostLine('h', HOST_A, { hash: true }), RangeError);
});

test('bad lines are skipped and reported with their line numbers; CRLF is fine', () => {
  const good = formatKnownHostLine('good.example', HOST_A);
  const text = [
    good,
    '@bogus good.example ' + good.split(' ').slice(1).join(' '),
    '@revoked @revoked good.example ' + good.split(' ').slice(1).join(' '),
    'lonely.example',
    'no.key.example   ',
    '|1|c2FsdA==|aGFzaA== ' + good.split(' ').slice(1).join(' '),
    'bad.b64.example ssh-ed25519 AAAA!!!!',
    '   # indented comment',
    good,
  ].join('\r\n');
  const parsed = parseKnownHosts(text, 'f');
  assert.deepEqual(parsed.entries.map((e) => e.line), [1, 9]);
  assert.deepEqual(parsed.problems.map((p) => p.line), [2, 3, 4, 5, 6, 7]);
  assert.ok(parsed.problems.every((p) => p.file === 'f' && p.reason.length > 0));
  assert.equal(where(checkKnownHost(parsed.entries, 'good.example', HOST_A)), 'found:1');
});

test('findKnownHost lists what ssh-keygen -F lists, markers included', () => {
  for (const [file, name, out] of [
    ['known_hosts', 'host1.example.com', 'keygen-F-host1.out'],
    ['known_hosts_hashed', 'host1.example.com', 'keygen-F-host1-hashed.out'],
    ['known_hosts', '[host1.example.com]:2222', 'keygen-F-host1-2222.out'],
  ] as const) {
    const expected = keyFixtureLines(out);
    const found = findKnownHost(keyFixture(file), name);
    const lines = found.flatMap((e) => {
      const mark = e.marker === 'cert-authority' ? 'CA' : e.marker === 'revoked' ? 'REVOKED' : '';
      return [`# Host ${name} found: line ${e.line} ${mark}`, e.text];
    });
    assert.deepEqual(lines, expected, out);
  }
});

test('removeKnownHost leaves exactly what ssh-keygen -R left', () => {
  const r = removeKnownHost(keyFixture('known_hosts'), 'host1.example.com');
  assert.equal(r.text, keyFixture('known_hosts_R'));
  assert.deepEqual(r.removedLines, [2, 3]);
  assert.deepEqual(r.invalidLines, []);
});

test('hashKnownHosts makes the file ssh-keygen -H made, up to the random salts', () => {
  const r = hashKnownHosts(keyFixture('known_hosts'), systemRandom);
  assert.deepEqual(r.invalidLines, []);
  assert.deepEqual(r.hashedLines, [2, 3, 5, 10]);
  const notes = r.wildcardLines.map((w) => `known_hosts_hashed:${w.line}: ignoring host name with wildcard: ${w.hosts}`);
  assert.deepEqual(notes, keyFixtureLines('keygen-H.err').slice(0, 4));
  const ours = r.text.split('\n');
  const theirs = keyFixture('known_hosts_hashed').split('\n');
  assert.equal(ours.length, theirs.length);
  ours.forEach((line, i) => {
    if (theirs[i].startsWith('|1|')) assert.equal(line.replace(/^\S+/, ''), theirs[i].replace(/^\S+/, ''), `line ${i + 1}`);
    else assert.equal(line, theirs[i], `line ${i + 1}`);
  });
  const parsed = parseKnownHosts(r.text).entries;
  assert.equal(where(checkKnownHost(parsed, 'host1.example.com', HOST_A)), 'found:2');
  assert.equal(where(checkKnownHost(parsed, 'host2.example.com', HOST_B)), 'found:11');
});

test('removeKnownHost and hashKnownHosts keep CR of CRLF lines and report invalid lines', () => {
  const text = `${formatKnownHostLine('a.example', HOST_A)}\r\nbroken line\r\n${formatKnownHostLine('b.example', HOST_B)}\r\n`;
  const removed = removeKnownHost(text, 'a.example');
  assert.equal(removed.text, `broken line\r\n${formatKnownHostLine('b.example', HOST_B)}\r\n`);
  assert.deepEqual(removed.invalidLines, [2]);
  const hashed = hashKnownHosts(text, systemRandom);
  assert.deepEqual(hashed.invalidLines, [2]);
  assert.ok(hashed.text.split('\n').slice(0, 3).every((l) => l.endsWith('\r')));
});

// OpenSSH match_pattern / match_pattern_list.
const PATTERNS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['host', 'host', true],
  ['host', 'hos', false],
  ['host', 'h*', true],
  ['host', '*', true],
  ['', '*', true],
  ['host', 'h?st', true],
  ['hst', 'h?st', false],
  ['a.b.c', '*.c', true],
  ['a.b.c', '*.*.c', true],
  ['abc', 'a*b*c', true],
  ['abbbc', 'a*b*c', true],
  ['abcd', 'a*b*c', false],
  ['[h]:22', '[h]:22', true],
  ['Host', 'host', false],
];
for (const [s, p, want] of PATTERNS) {
  test(`matchPattern(${JSON.stringify(s)}, ${JSON.stringify(p)}) = ${want}`, () => assert.equal(matchPattern(s, p), want));
}

test('pattern lists: any positive match, unless a negated pattern matches', () => {
  assert.equal(matchPatternList('a.example', 'b.example,*.example'), 'match');
  assert.equal(matchPatternList('a.example', '*.example,!a.example'), 'negated');
  assert.equal(matchPatternList('c.other', '*.example,!a.example'), 'no-match');
  assert.equal(matchPatternList('c.other', '!a.example'), 'no-match');
  assert.equal(matchPatternList('a.example', 'A.EXAMPLE'), 'no-match');
  assert.equal(matchPatternList('a.example', 'A.EXAMPLE', { lowercase: true }), 'match');
  assert.equal(matchHostPatterns('A.Example', 'a.EXAMPLE'), true);
  assert.equal(matchHostPatterns('a.example', '*,!a.example'), false);
});
