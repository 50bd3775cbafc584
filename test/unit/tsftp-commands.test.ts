// tsftp's command lines: sftp's word splitting (quotes, escapes, comments, protected wildcards), and each command's
// flags, argument counts and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandWordsError, splitCommandWords } from '@tssh/sftp/command-words';
import { CommandError, parseCommandLine, type Command } from '@tssh/sftp/commands';

const WORDS: Array<[string, string[]]> = [
  ['get a b', ['get', 'a', 'b']],
  ['  put   "name with spaces"  dst  ', ['put', 'name with spaces', 'dst']],
  ["get 'it''s' x", ['get', 'its', 'x']],
  ['get "it\'s" x', ['get', "it's", 'x']],
  ["get 'say \\'hi\\'' x", ['get', "say 'hi'", 'x']],
  ['get a\\ b', ['get', 'a b']],
  ['get *.txt', ['get', '*.txt']],
  ['get "*.txt"', ['get', '\\*.txt']],
  ['get \\*.txt', ['get', '\\*.txt']],
  ['get a\\\\b', ['get', 'a\\\\b']],
  ['ls # a comment', ['ls']],
  ['ls "#not" x#y', ['ls', '#not', 'x']],
  ["get ''", ['get', '']],
  ['get ü日本 "ñ x"', ['get', 'ü日本', 'ñ x']],
];

for (const [line, words] of WORDS) {
  test(`words of ${JSON.stringify(line)}`, () => assert.deepEqual(splitCommandWords(line), words));
}

test('an unterminated quote is refused with sftp\'s message', () => {
  assert.throws(() => splitCommandWords('get "abc'), (e: unknown) => e instanceof CommandWordsError && e.message === 'Unterminated quoted argument');
});

const PARSED: Array<[string, Command | undefined, boolean?]> = [
  ['', undefined],
  ['# comment', undefined],
  ['get -pr remote local', { kind: 'get', flags: { preserve: true, recursive: true, resume: false, fsync: false }, source: 'remote', target: 'local' }],
  ['reget -P f', { kind: 'get', flags: { preserve: true, recursive: false, resume: true, fsync: false }, source: 'f', target: undefined }],
  ['put -a "my file" "dst *"', { kind: 'put', flags: { preserve: false, recursive: false, resume: true, fsync: false }, source: 'my file', target: 'dst *' }],
  ['reput -R -f d', { kind: 'put', flags: { preserve: false, recursive: true, resume: true, fsync: true }, source: 'd', target: undefined }],
  ['-rm *.bak', { kind: 'rm', path: '*.bak' }, true],
  ['ls -la dir', { kind: 'ls', flags: { long: true, all: true, numeric: false, human: false, single: false, sort: 'name', reverse: false }, path: 'dir' }],
  ['ls -1tr', { kind: 'ls', flags: { long: false, all: false, numeric: false, human: false, single: true, sort: 'time', reverse: true }, path: undefined }],
  ['dir -lhS', { kind: 'ls', flags: { long: true, all: false, numeric: false, human: true, single: false, sort: 'size', reverse: false }, path: undefined }],
  ['cd', { kind: 'cd', path: undefined }],
  ['CD "a b"', { kind: 'cd', path: 'a b' }],
  ['lcd /tmp', { kind: 'lcd', path: '/tmp' }],
  ['mkdir "x*"', { kind: 'mkdir', path: 'x*' }],
  ['rename -l a b', { kind: 'rename', from: 'a', to: 'b', legacy: true }],
  ['ln -s target link', { kind: 'ln', from: 'target', to: 'link', symbolic: true }],
  ['ln old new', { kind: 'ln', from: 'old', to: 'new', symbolic: false }],
  ['symlink t l', { kind: 'ln', from: 't', to: 'l', symbolic: true }],
  ['chmod 0640 f*', { kind: 'chmod', mode: 0o640, path: 'f*' }],
  ['chgrp 100 f', { kind: 'chown', id: 100, path: 'f', group: true }],
  ['df -hi /', { kind: 'df', human: true, inodes: true, path: '/' }],
  ['cp a b', { kind: 'cp', from: 'a', to: 'b' }],
  ['!ls -l', { kind: 'shell', command: 'ls -l' }],
  ['lls -la /tmp', { kind: 'lls', args: '-la /tmp' }],
  ['bye', { kind: 'quit' }],
  ['exit', { kind: 'quit' }],
  ['quit', { kind: 'quit' }],
  ['?', { kind: 'help' }],
  ['progress', { kind: 'progress' }],
];

for (const [line, command, ignore] of PARSED) {
  test(`command ${JSON.stringify(line)}`, () => {
    assert.deepEqual(parseCommandLine(line), { ignoreErrors: ignore === true, command });
  });
}

const REFUSED: Array<[string, string]> = [
  ['frobnicate', 'Invalid command.'],
  ['get', 'You must specify at least one path after a get command.'],
  ['reput -p', 'You must specify at least one path after a reput command.'],
  ['get -z x', 'get: Invalid flag -z'],
  ['ls -q', 'ls: Invalid flag -q'],
  ['rename a', 'You must specify two paths after a rename command.'],
  ['ln -s a', 'You must specify two paths after a ln command.'],
  ['rm', 'You must specify a path after a rm command.'],
  ['mkdir', 'You must specify a path after a mkdir command.'],
  ['chmod x f', 'You must supply a numeric argument to the chmod command.'],
  ['chmod 0999 f', 'You must supply a numeric argument to the chmod command.'],
  ['chmod 644', 'You must specify a path after a chmod command.'],
  ['pwd -x', 'pwd: Invalid flag -x'],
];

for (const [line, message] of REFUSED) {
  test(`refused ${JSON.stringify(line)}`, () => {
    assert.throws(() => parseCommandLine(line), (e: unknown) => e instanceof CommandError && e.message === message);
  });
}
