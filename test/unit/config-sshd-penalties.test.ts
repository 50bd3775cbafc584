// PerSourcePenalties, PerSourcePenaltyExemptList and LogFormat in sshd_config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfigError,
  formatSshdConfig,
  memoryConfigFs,
  parseSshdConfig,
  PENALTY_DEFAULTS,
  resolvePenalties,
} from '@tssh/ssh-protocol/config';

const F = '/etc/tssh/sshd_config';
const parse = (text: string, overrides: string[] = []) => parseSshdConfig(text, F, { fs: memoryConfigFs({}), overrides });

function errorOf(text: string): string {
  try {
    parse(text);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail(`no error for ${text}`);
}

test('defaults are OpenSSH 9.8 defaults', () => {
  const c = parse('');
  assert.deepEqual(resolvePenalties(c.perSourcePenalties), {
    enabled: true,
    crash: 90,
    authfail: 5,
    invaliduser: 5,
    noauth: 1,
    graceExceeded: 10,
    refuseConnection: 10,
    max: 600,
    min: 15,
    maxSources4: 65536,
    maxSources6: 65536,
    overflow: 'permissive',
    overflow6: 'permissive',
  });
  assert.equal(c.perSourcePenaltyExemptList, undefined);
  assert.equal(c.logFormat, 'text');
});

test('items accumulate over lines; the first value of each item wins; unnamed items keep their defaults', () => {
  const c = parse(
    [
      'PerSourcePenalties authfail:30s max:1h',
      'PerSourcePenalties authfail:1s crash:2m overflow:deny-all',
      'persourcepenalties min:0 max-sources4:10 max-sources6:20',
    ].join('\n'),
  );
  const p = resolvePenalties(c.perSourcePenalties);
  assert.deepEqual(
    [p.enabled, p.authfail, p.max, p.crash, p.min, p.maxSources4, p.maxSources6, p.overflow, p.overflow6, p.noauth],
    [true, 30, 3600, 120, 0, 10, 20, 'deny-all', 'deny-all', PENALTY_DEFAULTS.noauth],
  );
  const off = resolvePenalties(parse('PerSourcePenalties no\nPerSourcePenalties yes').perSourcePenalties);
  assert.equal(off.enabled, false);
  const viaOption = resolvePenalties(parse('PerSourcePenalties authfail:9', ['PerSourcePenalties=noauth:3']).perSourcePenalties);
  assert.deepEqual([viaOption.noauth, viaOption.authfail], [3, 9]);
});

test('bad PerSourcePenalties and exempt lists name the line', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['PerSourcePenalties yes crash:1', 'line 1: keyword PerSourcePenalties "yes" argument must appear alone.'],
    ['PerSourcePenalties crash:soon', 'line 1: invalid PerSourcePenalties time value.'],
    ['PerSourcePenalties frobnicate:1', 'line 1: unsupported PerSourcePenalties keyword frobnicate:1'],
    ['PerSourcePenalties overflow:maybe', 'line 1: unsupported PerSourcePenalties keyword overflow:maybe'],
    ['PerSourcePenalties max-sources4:many', 'line 1: PerSourcePenalties value invalid.'],
    ['PerSourcePenaltyExemptList 10.0.0.0/33', 'line 1: keyword PerSourcePenaltyExemptList invalid address argument.'],
    ['LogFormat xml', 'line 1: unsupported option "xml".'],
  ];
  for (const [text, message] of cases) assert.equal(errorOf(text), `${F} ${message}`, text);
});

test('the exempt list takes CIDR blocks and patterns, or none', () => {
  assert.equal(parse('PerSourcePenaltyExemptList 127.0.0.3,10.0.0.0/8,192.168.*').perSourcePenaltyExemptList, '127.0.0.3,10.0.0.0/8,192.168.*');
  assert.equal(parse('PerSourcePenaltyExemptList none').perSourcePenaltyExemptList, undefined);
  assert.equal(parse('LogFormat JSON').logFormat, 'json');
});

test('-T prints every item, and the printed line reads back to the same settings', () => {
  const c = parse('PerSourcePenalties authfail:30s overflow:deny-all\nPerSourcePenaltyExemptList 127.0.0.3\nLogFormat json');
  const printed = formatSshdConfig(c);
  const line = /^persourcepenalties (.*)$/m.exec(printed)?.[1];
  assert.equal(
    line,
    'crash:90s authfail:30s invaliduser:5s noauth:1s grace-exceeded:10s refuseconnection:10s max:600s min:15s ' +
      'max-sources4:65536 max-sources6:65536 overflow:deny-all overflow6:deny-all',
  );
  assert.match(printed, /^persourcepenaltyexemptlist 127\.0\.0\.3$/m);
  assert.match(printed, /^logformat json$/m);
  assert.deepEqual(resolvePenalties(parse(`PerSourcePenalties ${line}`).perSourcePenalties), resolvePenalties(c.perSourcePenalties));
  assert.match(formatSshdConfig(parse('PerSourcePenalties no')), /^persourcepenalties no$/m);
});
