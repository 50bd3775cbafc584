import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, lexConfig, lexOption } from '@tssh/ssh-protocol/config';

const F = '/etc/tssh/sshd_config';

function lexErr(text: string): string {
  try {
    lexConfig(text, F);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  assert.fail('no error');
}

test('keywords, comments, blank lines and line numbers', () => {
  const lines = lexConfig('# comment\n\n  Port 22\nhostkey /a   \n\t# indented comment\nPort 2222 # trailing\n', F);
  assert.deepEqual(
    lines.map((l) => [l.line, l.keyword, l.key, l.args]),
    [
      [3, 'Port', 'port', ['22']],
      [4, 'hostkey', 'hostkey', ['/a']],
      [6, 'Port', 'port', ['2222']],
    ],
  );
  assert.equal(lines[0].file, F);
});

test('CRLF line ends are the same as LF', () => {
  const crlf = lexConfig('Port 22\r\nBanner /etc/issue\r\n\r\n# x\r\nAllowUsers a b\r\n', F);
  const lf = lexConfig('Port 22\nBanner /etc/issue\n\n# x\nAllowUsers a b\n', F);
  assert.deepEqual(crlf, lf);
  assert.deepEqual(crlf[2].args, ['a', 'b']);
});

test('Keyword=value with or without blanks around =', () => {
  for (const text of ['Port=22', 'Port = 22', 'Port =22', 'Port= 22', 'Port\t=\t22']) {
    const [l] = lexConfig(text, F);
    assert.equal(l.key, 'port', text);
    assert.deepEqual(l.args, ['22'], text);
  }
  // Only the first = separates; later ones belong to the value.
  assert.deepEqual(lexConfig('SetEnv A=b C=d', F)[0].args, ['A=b', 'C=d']);
  assert.deepEqual(lexConfig('Port==22', F)[0].args, ['=22']);
});

test('quoted arguments keep their blanks; escapes', () => {
  const [l] = lexConfig('AuthorizedKeysFile "/x y/keys" \'/z w\' plain "" a"b c"d', F);
  assert.deepEqual(l.args, ['/x y/keys', '/z w', 'plain', '', 'ab cd']);
  assert.deepEqual(lexConfig('Banner "say \\"hi\\"" a\\ b #c', F)[0].args, ['say "hi"', 'a b']);
  assert.deepEqual(lexConfig('Banner "#not a comment"', F)[0].args, ['#not a comment']);
});

test('rest keeps a command as written', () => {
  assert.equal(lexConfig('ForceCommand  echo "a  b"  ', F)[0].rest, 'echo "a  b"');
});

test('error messages name the file and line exactly', () => {
  assert.equal(lexErr('Port 22\nBanner "/x y\n'), `${F} line 2: unterminated quoted argument`);
  assert.equal(lexErr('\n\nPort\n'), `${F} line 3: missing argument.`);
  assert.equal(lexErr('Port =\n'), `${F} line 1: missing argument.`);
  assert.equal(lexErr('Port 22\n# ok\nBanner /caf\u00e9\n'), `${F} line 3: non-ASCII character 0xe9 refused`);
  assert.equal(lexErr('Port\u000122\n'), `${F} line 1: invalid control character 0x01`);
  const e = (() => {
    try {
      lexConfig('x\n', 'f');
    } catch (err) {
      return err as ConfigError;
    }
  })();
  assert.ok(e instanceof ConfigError);
  assert.deepEqual([e.file, e.line, e.what], ['f', 1, 'missing argument.']);
});

test('-o options lex as command-line with their index as line', () => {
  const l = lexOption('Port=2222', 3);
  assert.deepEqual([l.file, l.line, l.args], ['command-line', 3, ['2222']]);
  assert.throws(() => lexOption('Port', 0), { message: 'command-line line 0: missing argument.' });
});
