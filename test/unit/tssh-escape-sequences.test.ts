// ssh's escape sequences, byte by byte: only right after a newline (or at the start), commands taken out,
// unknown ones and ~~ passed on as ssh passes them, any escape character, any split of the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EscapeFilter, type EscapeAction } from '@tssh/ssh/dist/escape-sequences.js';

/** Runs `input` (split into chunks of `size`) and renders the result: data as text, commands as {name}. */
function run(input: string, escape = '~', size = input.length || 1): string {
  const f = new EscapeFilter(escape);
  const bytes = Buffer.from(input, 'latin1');
  const actions: EscapeAction[] = [];
  for (let i = 0; i < bytes.length; i += size) actions.push(...f.feed(bytes.subarray(i, i + size)));
  return actions.map((a) => (a.kind === 'data' ? Buffer.from(a.bytes).toString('latin1') : `{${a.command}}`)).join('');
}

const CASES: ReadonlyArray<readonly [string, string]> = [
  ['~.', '{disconnect}'], // the start of the session counts as after a newline
  ['ls\r~.', 'ls\r{disconnect}'],
  ['ls\n~.', 'ls\n{disconnect}'],
  ['a~.', 'a~.'], // not after a newline: plain text
  ['\r~~x', '\r~x'], // ~~ sends one ~, and the ~ ends the line start
  ['\r~~~.', '\r~~.'],
  ['\r~x', '\r~x'], // an unknown escape sends both characters
  ['\r~\r~.', '\r~\r{disconnect}'], // ~ then CR: both go, and the CR starts a line again
  ['~?~.', '{help}{disconnect}'], // after a command the line start remains
  ['~B~R~V~v~\x1a', '{break}{rekey}{less-verbose}{more-verbose}{suspend}'],
  ['~C~#~&', '~C~#~&'], // not implemented: sent on as unknown escapes
  ['x\r', 'x\r'],
  ['~', ''], // held until the next key decides
];

test('escape sequences as ssh reads them, for every split of the input', () => {
  for (const [input, want] of CASES) {
    for (let size = 1; size <= Math.max(1, input.length); size++) {
      assert.equal(run(input, '~', size), want, `${JSON.stringify(input)} in chunks of ${size}`);
    }
  }
});

test('another escape character: ^] and #; ~ is then plain text', () => {
  assert.equal(run('\x1d.', '\x1d'), '{disconnect}');
  assert.equal(run('~.', '\x1d'), '~.');
  assert.equal(run('\r#?', '#'), '\r{help}');
  assert.equal(run('\r##', '#'), '\r#');
});

test('~? lists the escapes with the escape character in use, CR LF line ends', () => {
  const help = new EscapeFilter('%').help();
  assert.ok(help.startsWith('%?\r\nSupported escape sequences:\r\n %.   - terminate connection\r\n'), help);
  assert.ok(help.includes(' %%   - send the escape character by typing it twice\r\n'));
  assert.ok(help.endsWith('(Note that escapes are only recognized immediately after newline.)\r\n'));
  assert.ok(!help.includes('%C') && !help.includes('%#'), 'only what is implemented');
});

test('echo lines for suspend and verbosity, as ssh writes them', () => {
  const f = new EscapeFilter('~');
  assert.equal(f.echo('suspend'), '~^Z [suspend ssh]\r\n');
  assert.equal(f.echo('more-verbose', 'DEBUG'), '~v [LogLevel DEBUG]\r\n');
  assert.equal(f.echo('less-verbose', 'INFO'), '~V [LogLevel INFO]\r\n');
  assert.equal(f.echo('disconnect'), '');
});
