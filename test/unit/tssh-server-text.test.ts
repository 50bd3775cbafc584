// The server's text made safe for the terminal. The expected strings are what OpenSSH 9.2's ssh printed for
// the same banner bytes (captured against its sshd, in a C.UTF-8 and in the C locale).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerText, logText, utf8Locale } from '@tssh/ssh/dist/server-text.js';

const BANNER = Buffer.from('Hello\x1b[31mred\r\n\x07bell\ttab\x01\xc3\xa9\xff end\n', 'latin1');
const BANNER2 = Buffer.from('a\\b \xe2\x80\xae rlo \xc2\x85 nel \x7f del\n', 'latin1');

test('banner in a UTF-8 locale: as ssh prints it', () => {
  assert.equal(bannerText(BANNER, true), 'Hello\\033[31mred\r\n\\007bell\ttab\\001\u00e9\\377 end\n');
  // A backslash stays single, U+202E (printable to wcwidth) stays, NEL (a C1 control) and DEL are escaped.
  assert.equal(bannerText(BANNER2, true), 'a\\b \u202e rlo \\302\\205 nel \\177 del\n');
});

test('banner in the C locale: every byte above 0x7f escaped', () => {
  assert.equal(bannerText(BANNER, false), 'Hello\\033[31mred\r\n\\007bell\ttab\\001\\303\\251\\377 end\n');
});

test('banner: malformed UTF-8 (overlong, surrogate, truncated) is escaped byte by byte', () => {
  const cases: Array<[number[], string]> = [
    [[0xc0, 0xaf], '\\300\\257'],
    [[0xed, 0xa0, 0x80], '\\355\\240\\200'],
    [[0xe2, 0x82], '\\342\\202'],
    [[0xf4, 0x90, 0x80, 0x80], '\\364\\220\\200\\200'],
    [[0xf0, 0x9f, 0x98, 0x80], '\u{1f600}'],
  ];
  for (const [bytes, want] of cases) assert.equal(bannerText(Uint8Array.from(bytes), true), want, bytes.join(','));
});

test('log text (strnvis VIS_SAFE|VIS_OCTAL): controls and non-ASCII octal, backslash doubled', () => {
  assert.equal(logText('Password change\r\n\ttab\x1b[2J\u00e9\\'), 'Password change\r\n\ttab\\033[2J\\303\\251\\\\');
  assert.equal(logText('bell\x07 bs\x08'), 'bell\x07 bs\x08');
});

test('UTF-8 locale from LC_ALL, else LC_CTYPE, else LANG', () => {
  assert.equal(utf8Locale({ LANG: 'C.UTF-8' }), true);
  assert.equal(utf8Locale({ LANG: 'en_US.utf8' }), true);
  assert.equal(utf8Locale({ LC_ALL: 'C', LANG: 'C.UTF-8' }), false);
  assert.equal(utf8Locale({ LC_CTYPE: 'de_DE.UTF-8@euro', LANG: 'C' }), true);
  assert.equal(utf8Locale({}), false);
});
