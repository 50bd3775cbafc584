import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cidrContains,
  expandGlob,
  expandTilde,
  expandTokens,
  matchAddressList,
  matchHostList,
  matchPattern,
  matchPatternList,
  memoryConfigFs,
  parseCidr,
  parseIpAddress,
  parseSize,
  parseTime,
} from '@tssh/ssh-protocol/config';

const TIMES: ReadonlyArray<readonly [string, number | undefined]> = [
  ['120', 120],
  ['0', 0],
  ['2m', 120],
  ['1h30m', 5400],
  ['1H30M10s', 5410],
  ['1w1d', 691200],
  ['90S', 90],
  ['', undefined],
  ['2x', undefined],
  ['m', undefined],
  ['-5', undefined],
  ['1.5h', undefined],
  ['99999999999', undefined],
];
for (const [text, want] of TIMES) test(`time ${JSON.stringify(text)}`, () => assert.equal(parseTime(text), want));

const SIZES: ReadonlyArray<readonly [string, number | undefined]> = [
  ['1G', 1073741824],
  ['1g', 1073741824],
  ['512M', 536870912],
  ['100K', 102400],
  ['1024', 1024],
  ['1.5K', 1536],
  ['4T', 4 * 1024 ** 4],
  ['1X', undefined],
  ['G', undefined],
  ['-1', undefined],
];
for (const [text, want] of SIZES) test(`size ${JSON.stringify(text)}`, () => assert.equal(parseSize(text), want));

test('wildcard patterns', () => {
  assert.ok(matchPattern('host.example.com', '*.example.com'));
  assert.ok(matchPattern('a', '?'));
  assert.ok(matchPattern('', '*'));
  assert.ok(matchPattern('*x', '*'));
  assert.ok(!matchPattern('ab', '?'));
  assert.ok(!matchPattern('example.com', '*.example.com'));
  assert.ok(matchPattern('aXbXc', 'a*b*c'));
});

test('pattern lists: negation wins, case rules', () => {
  assert.equal(matchPatternList('alice', 'bob,ali*'), 1);
  assert.equal(matchPatternList('alice', '*,!alice'), -1);
  assert.equal(matchPatternList('carol', 'bob,!alice'), 0);
  assert.equal(matchPatternList('Alice', 'alice'), 0);
  assert.equal(matchHostList('WWW.Example.COM', '*.example.com'), 1);
});

test('IP addresses and CIDR', () => {
  assert.deepEqual(parseIpAddress('10.1.2.3')?.bytes, Uint8Array.from([10, 1, 2, 3]));
  assert.equal(parseIpAddress('::ffff:10.1.2.3')?.family, 4);
  assert.equal(parseIpAddress('2001:db8::1')?.family, 6);
  assert.deepEqual(parseIpAddress('::1')?.bytes, Uint8Array.from([...new Array(15).fill(0), 1]));
  for (const bad of ['1.2.3', '256.1.1.1', '1::2::3', '12345::', 'host', '1:2:3:4:5:6:7:8:9']) {
    assert.equal(parseIpAddress(bad), undefined, bad);
  }
  const net = parseCidr('10.0.0.0/8');
  assert.ok(net && cidrContains(net, parseIpAddress('10.200.0.1')!));
  assert.ok(net && !cidrContains(net, parseIpAddress('11.0.0.1')!));
  const v6 = parseCidr('2001:db8::/33');
  assert.ok(v6 && cidrContains(v6, parseIpAddress('2001:db8:7fff::1')!));
  assert.ok(v6 && !cidrContains(v6, parseIpAddress('2001:db8:8000::1')!));
  assert.equal(parseCidr('1.2.3.4/33'), undefined);
});

test('address pattern lists', () => {
  assert.equal(matchAddressList('10.1.2.3', '10.0.0.0/8'), 1);
  assert.equal(matchAddressList('10.1.2.3', '10.0.0.0/8,!10.1.0.0/16'), -1);
  assert.equal(matchAddressList('::ffff:192.168.1.9', '192.168.1.*'), 1);
  assert.equal(matchAddressList('192.168.2.9', '192.168.1.*'), 0);
  assert.equal(matchAddressList('::1', '::1/128'), 1);
});

test('tokens and tilde', () => {
  assert.equal(expandTokens('%d/.ssh/id_%u@%h 100%%', { d: '/home/a', u: 'a', h: 'srv' }), '/home/a/.ssh/id_a@srv 100%');
  assert.throws(() => expandTokens('%q', {}), { message: 'unknown key %q' });
  assert.throws(() => expandTokens('50%', {}), /lone %/);
  assert.equal(expandTilde('~/.ssh/x', '/home/a'), '/home/a/.ssh/x');
  assert.equal(expandTilde('~', '/home/a'), '/home/a');
  assert.equal(expandTilde('/abs', '/home/a'), '/abs');
  assert.throws(() => expandTilde('~bob/x', '/home/a'));
});

test('glob over an in-memory tree, sorted, hidden files skipped', () => {
  const fs = memoryConfigFs({
    '/etc/tssh/conf.d/b.conf': '',
    '/etc/tssh/conf.d/a.conf': '',
    '/etc/tssh/conf.d/.hidden.conf': '',
    '/etc/tssh/conf.d/c.txt': '',
    '/etc/tssh/x1/k.conf': '',
    '/etc/tssh/x2/k.conf': '',
  });
  assert.deepEqual(expandGlob('/etc/tssh/conf.d/*.conf', fs), ['/etc/tssh/conf.d/a.conf', '/etc/tssh/conf.d/b.conf']);
  assert.deepEqual(expandGlob('/etc/tssh/conf.d/[ab].conf', fs), ['/etc/tssh/conf.d/a.conf', '/etc/tssh/conf.d/b.conf']);
  assert.deepEqual(expandGlob('/etc/tssh/x?/k.conf', fs), ['/etc/tssh/x1/k.conf', '/etc/tssh/x2/k.conf']);
  assert.deepEqual(expandGlob('/etc/tssh/conf.d/c.txt', fs), ['/etc/tssh/conf.d/c.txt']);
  assert.deepEqual(expandGlob('/etc/tssh/none/*', fs), []);
  assert.deepEqual(expandGlob('/etc/tssh/missing', fs), []);
});
