// ssh_config / sshd_config lexer, OpenSSH rules (readconf.c, servconf.c, misc.c argv_split):
// "Keyword args..." or "Keyword=args", keywords case-insensitive, '#' comments, quoted arguments.

import { ConfigError } from './config-error.js';

/** One non-empty, non-comment configuration line split into keyword and arguments. */
export interface ConfigLine {
  readonly file: string;
  readonly line: number;
  /** The keyword as written. */
  readonly keyword: string;
  /** The keyword in lower case, for lookup. */
  readonly key: string;
  readonly args: readonly string[];
  /** The text after the keyword as written, for commands taken whole (ForceCommand, ProxyCommand). */
  readonly rest: string;
}

/** Splits a whole file. CRLF and LF line ends are both accepted. */
export function lexConfig(text: string, file: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const parsed = lexLine(raw, file, i + 1);
    if (parsed) out.push(parsed);
  });
  return out;
}

/** Lexes one `-o` option; OpenSSH reports these as `command-line line N`. */
export function lexOption(option: string, index: number): ConfigLine {
  const parsed = lexLine(option, 'command-line', index);
  if (!parsed) throw new ConfigError('command-line', index, 'missing argument.');
  return parsed;
}

/** Lexes one line; undefined for blank lines and comments. */
export function lexLine(raw: string, file: string, line: number): ConfigLine | undefined {
  const text = raw.replace(/[ \t\r\f]+$/, '');
  checkCharacters(text, file, line);
  let i = skipBlank(text, 0);
  if (i >= text.length || text[i] === '#') return undefined;
  const start = i;
  while (i < text.length && text[i] !== ' ' && text[i] !== '\t' && text[i] !== '=') i++;
  const keyword = text.slice(start, i);
  i = skipBlank(text, i);
  if (text[i] === '=') i = skipBlank(text, i + 1);
  if (keyword === '') throw new ConfigError(file, line, `Bad configuration option: ${text.slice(start)}`);
  const rest = text.slice(i);
  const args = splitArguments(rest, file, line);
  if (args.length === 0) throw new ConfigError(file, line, 'missing argument.');
  return { file, line, keyword, key: keyword.toLowerCase(), args, rest };
}

function skipBlank(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

function checkCharacters(text: string, file: string, line: number): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const hex = `0x${c.toString(16).padStart(2, '0')}`;
    if (c > 0x7f) throw new ConfigError(file, line, `non-ASCII character ${hex} refused`);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      throw new ConfigError(file, line, `invalid control character ${hex}`);
    }
  }
}

/**
 * Splits arguments on blanks. Single or double quotes group words; a backslash escapes a quote,
 * a backslash or (outside quotes) a blank; an unquoted word starting with '#' begins a comment.
 */
export function splitArguments(text: string, file: string, line: number): string[] {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    i = skipBlank(text, i);
    if (i >= text.length || text[i] === '#') return args;
    let arg = '';
    let quote = '';
    for (; i < text.length; i++) {
      const c = text[i];
      const next = text[i + 1];
      if (c === '\\' && (next === '"' || next === "'" || next === '\\' || (!quote && next === ' '))) {
        arg += next;
        i++;
      } else if (!quote && (c === ' ' || c === '\t')) {
        break;
      } else if (!quote && (c === '"' || c === "'")) {
        quote = c;
      } else if (quote && c === quote) {
        quote = '';
      } else {
        arg += c;
      }
    }
    if (quote) throw new ConfigError(file, line, 'unterminated quoted argument');
    args.push(arg);
  }
}
