import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAlgorithmList, ConfigError } from '@tssh/ssh-protocol/config';

const DEFAULTS = ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes256-ctr'];
const SUPPORTED = [...DEFAULTS, 'aes192-ctr', 'aes128-cbc', 'aes256-cbc'];
const AT = { file: '/etc/tssh/sshd_config', line: 7 };

const CASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['aes256-ctr,aes128-ctr', ['aes256-ctr', 'aes128-ctr']],
  ['+aes128-cbc', [...DEFAULTS, 'aes128-cbc']],
  ['+aes128-ctr', DEFAULTS],
  ['-aes*-gcm@openssh.com', ['chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes256-ctr']],
  ['-aes*', ['chacha20-poly1305@openssh.com']],
  ['-nonexistent', DEFAULTS],
  ['^aes256-ctr', ['aes256-ctr', 'chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr']],
  ['^aes192-ctr,aes128-cbc', ['aes192-ctr', 'aes128-cbc', ...DEFAULTS]],
  ['aes*-cbc', ['aes128-cbc', 'aes256-cbc']],
  ['+aes*-cbc', [...DEFAULTS, 'aes128-cbc', 'aes256-cbc']],
];
for (const [spec, want] of CASES) {
  test(`algorithm list ${spec}`, () => assert.deepEqual(applyAlgorithmList(DEFAULTS, SUPPORTED, spec, AT), want));
}

test('unknown names are errors naming file and line', () => {
  for (const spec of ['aes128-ctr,rot13', '+rot13', '^rot13', 'des*', 'a,,b', '!aes128-ctr', '-*']) {
    assert.throws(
      () => applyAlgorithmList(DEFAULTS, SUPPORTED, spec, AT, 'Bad SSH2 cipher spec'),
      (e: unknown) => e instanceof ConfigError && e.message === `/etc/tssh/sshd_config line 7: Bad SSH2 cipher spec '${spec}'.`,
      spec,
    );
  }
});
