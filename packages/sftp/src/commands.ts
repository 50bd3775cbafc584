// The commands of tsftp's prompt and batch files, parsed from a line into a tagged union, with the flags, argument
// counts and messages of OpenSSH's sftp ("You must specify at least one path after a get command.").
import { splitCommandWords } from './command-words.js';
import { unescapeGlob } from './glob.js';

export interface TransferFlags {
  /** -p, -P: keep modes and times. */
  preserve: boolean;
  /** -r, -R: directories recursively. */
  recursive: boolean;
  /** -a (or reget/reput): resume a partial transfer. */
  resume: boolean;
  /** -f: fsync@openssh.com after each file. */
  fsync: boolean;
}

export type LsSort = 'name' | 'time' | 'size' | 'none';

export interface LsFlags {
  long: boolean;
  all: boolean;
  numeric: boolean;
  human: boolean;
  /** -1 */
  single: boolean;
  sort: LsSort;
  reverse: boolean;
}

export type Command =
  | { kind: 'get'; flags: TransferFlags; source: string; target: string | undefined }
  | { kind: 'put'; flags: TransferFlags; source: string; target: string | undefined }
  | { kind: 'ls'; flags: LsFlags; path: string | undefined }
  | { kind: 'cd'; path: string | undefined }
  | { kind: 'lcd'; path: string | undefined }
  | { kind: 'pwd' }
  | { kind: 'lpwd' }
  | { kind: 'mkdir'; path: string }
  | { kind: 'lmkdir'; path: string }
  | { kind: 'rmdir'; path: string }
  | { kind: 'rm'; path: string }
  | { kind: 'rename'; from: string; to: string; legacy: boolean }
  | { kind: 'ln'; from: string; to: string; symbolic: boolean }
  | { kind: 'cp'; from: string; to: string }
  | { kind: 'chmod'; mode: number; path: string }
  | { kind: 'chown'; id: number; path: string; group: boolean }
  | { kind: 'df'; human: boolean; inodes: boolean; path: string | undefined }
  | { kind: 'lls'; args: string }
  | { kind: 'shell'; command: string }
  | { kind: 'progress' }
  | { kind: 'version' }
  | { kind: 'help' }
  | { kind: 'quit' };

/** A line that names no known command or has bad arguments; the message is sftp's. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export interface ParsedLine {
  /** A leading "-": a failure does not end a batch. */
  ignoreErrors: boolean;
  /** Undefined for a blank line or a comment. */
  command: Command | undefined;
}

const NAMES: Readonly<Record<string, string>> = Object.freeze({
  bye: 'quit',
  quit: 'quit',
  exit: 'quit',
  cd: 'cd',
  chdir: 'cd',
  lcd: 'lcd',
  lchdir: 'lcd',
  chgrp: 'chgrp',
  chmod: 'chmod',
  chown: 'chown',
  copy: 'cp',
  cp: 'cp',
  df: 'df',
  dir: 'ls',
  ls: 'ls',
  get: 'get',
  mget: 'get',
  reget: 'reget',
  put: 'put',
  mput: 'put',
  reput: 'reput',
  help: 'help',
  '?': 'help',
  lls: 'lls',
  lmkdir: 'lmkdir',
  ln: 'ln',
  symlink: 'symlink',
  lpwd: 'lpwd',
  pwd: 'pwd',
  mkdir: 'mkdir',
  progress: 'progress',
  rename: 'rename',
  rm: 'rm',
  rmdir: 'rmdir',
  version: 'version',
});

/** getopt(3) over `words` after the command name: the letters seen, and the operands after them. */
function options(cmd: string, words: string[], letters: string): { seen: string[]; rest: string[] } {
  const seen: string[] = [];
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i];
    if (w === '--') {
      i++;
      break;
    }
    if (!w.startsWith('-') || w === '-') break;
    for (const letter of w.slice(1)) {
      if (!letters.includes(letter)) {
        throw new CommandError(cmd === 'ls' ? `ls: Invalid flag -${letter}` : `${cmd}: Invalid flag -${letter}`);
      }
      seen.push(letter);
    }
  }
  return { seen, rest: words.slice(i) };
}

function transfer(cmd: string, words: string[], resume: boolean): { flags: TransferFlags; source: string; target: string | undefined } {
  const { seen, rest } = options(cmd, words, 'afPpRr');
  if (rest.length < 1) throw new CommandError(`You must specify at least one path after a ${cmd} command.`);
  const flags: TransferFlags = {
    preserve: seen.includes('p') || seen.includes('P'),
    recursive: seen.includes('r') || seen.includes('R'),
    resume: resume || seen.includes('a'),
    fsync: seen.includes('f'),
  };
  // The source is globbed; the destination is not.
  return { flags, source: rest[0], target: rest.length > 1 ? unescapeGlob(rest[1]) : undefined };
}

function lsFlags(words: string[]): { flags: LsFlags; rest: string[] } {
  const { seen, rest } = options('ls', words, '1Safhlnrt');
  const flags: LsFlags = { long: false, all: false, numeric: false, human: false, single: false, sort: 'name', reverse: false };
  for (const l of seen) {
    if (l === '1') [flags.single, flags.long] = [true, false];
    else if (l === 'S') flags.sort = 'size';
    else if (l === 't') flags.sort = 'time';
    else if (l === 'f') flags.sort = 'none';
    else if (l === 'a') flags.all = true;
    else if (l === 'h') flags.human = true;
    else if (l === 'l') [flags.long, flags.single] = [true, false];
    else if (l === 'n') [flags.long, flags.numeric, flags.single] = [true, true, false];
    else if (l === 'r') flags.reverse = true;
  }
  return { flags, rest };
}

function onePath(cmd: string, words: string[], mandatory: boolean, glob: boolean): string | undefined {
  const { rest } = options(cmd, words, '');
  if (rest.length < 1) {
    if (mandatory) throw new CommandError(`You must specify a path after a ${cmd} command.`);
    return undefined;
  }
  return glob ? rest[0] : unescapeGlob(rest[0]);
}

function twoPaths(cmd: string, rest: string[]): { from: string; to: string } {
  if (rest.length < 2) throw new CommandError(`You must specify two paths after a ${cmd} command.`);
  return { from: unescapeGlob(rest[0]), to: unescapeGlob(rest[1]) };
}

function numberArgument(cmd: string, words: string[], base: 8 | 10): { n: number; path: string } {
  const { rest } = options(cmd, words, 'h');
  const text = rest[0];
  const digits = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (text === undefined || !digits.test(text)) throw new CommandError(`You must supply a numeric argument to the ${cmd} command.`);
  if (rest.length < 2) throw new CommandError(`You must specify a path after a ${cmd} command.`);
  return { n: parseInt(text, base), path: rest[1] };
}

/** The text after the command word (lls and "!" pass it on as it is). */
function restOfLine(line: string, word: string): string {
  const at = line.indexOf(word);
  return line.slice(at + word.length).trim();
}

export function parseCommandLine(input: string): ParsedLine {
  let line = input.trim();
  let ignoreErrors = false;
  if (line.startsWith('-')) {
    ignoreErrors = true;
    line = line.slice(1).trim();
  }
  if (line === '' || line.startsWith('#')) return { ignoreErrors, command: undefined };
  if (line.startsWith('!')) return { ignoreErrors, command: { kind: 'shell', command: line.slice(1).trim() } };
  const words = splitCommandWords(line);
  if (words.length === 0) return { ignoreErrors, command: undefined };
  const cmd = words[0].toLowerCase();
  const name = NAMES[cmd];
  if (name === undefined) throw new CommandError('Invalid command.');
  return { ignoreErrors, command: build(name, cmd, words, line) };
}

function build(name: string, cmd: string, words: string[], line: string): Command {
  switch (name) {
    case 'get':
    case 'reget':
      return { kind: 'get', ...transfer(cmd, words, name === 'reget') };
    case 'put':
    case 'reput':
      return { kind: 'put', ...transfer(cmd, words, name === 'reput') };
    case 'ls': {
      const { flags, rest } = lsFlags(words);
      return { kind: 'ls', flags, path: rest[0] };
    }
    case 'cd':
    case 'lcd':
      return { kind: name, path: onePath(cmd, words, false, false) };
    case 'mkdir':
    case 'lmkdir':
    case 'rmdir':
      return { kind: name, path: onePath(cmd, words, true, false)! };
    case 'rm':
      return { kind: 'rm', path: onePath(cmd, words, true, true)! };
    case 'rename': {
      const { seen, rest } = options(cmd, words, 'l');
      return { kind: 'rename', ...twoPaths(cmd, rest), legacy: seen.includes('l') };
    }
    case 'ln': {
      const { seen, rest } = options(cmd, words, 's');
      return { kind: 'ln', ...twoPaths(cmd, rest), symbolic: seen.includes('s') };
    }
    case 'symlink':
      return { kind: 'ln', ...twoPaths(cmd, options(cmd, words, '').rest), symbolic: true };
    case 'cp':
      return { kind: 'cp', ...twoPaths(cmd, options(cmd, words, '').rest) };
    case 'chmod': {
      const { n, path } = numberArgument(cmd, words, 8);
      return { kind: 'chmod', mode: n, path };
    }
    case 'chown':
    case 'chgrp': {
      const { n, path } = numberArgument(cmd, words, 10);
      return { kind: 'chown', id: n, path, group: name === 'chgrp' };
    }
    case 'df': {
      const { seen, rest } = options(cmd, words, 'hi');
      return { kind: 'df', human: seen.includes('h'), inodes: seen.includes('i'), path: rest[0] === undefined ? undefined : unescapeGlob(rest[0]) };
    }
    case 'lls':
      return { kind: 'lls', args: restOfLine(line, words[0]) };
    case 'pwd':
    case 'lpwd':
    case 'progress':
    case 'version':
    case 'help':
    case 'quit':
      options(cmd, words, '');
      return { kind: name };
    default:
      throw new CommandError('Invalid command.');
  }
}
