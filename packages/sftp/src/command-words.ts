// Splitting an sftp command line into words the way OpenSSH's sftp does (sh-like quoting, `#` comments,
// backslash escapes), keeping glob characters that were quoted or escaped protected by a backslash, so that
// a later glob sees them as plain characters. Words that are never globbed go through unescapeGlob().

/** The line cannot be split (sftp: "Unterminated quoted argument"). */
export class CommandWordsError extends Error {
  override name = 'CommandWordsError';
}

const GLOB_CHARS = new Set(['*', '?', '[']);

type State = 'start' | 'plain' | 'single' | 'double';

export function splitCommandWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let state: State = 'start';
  const finish = (): void => {
    words.push(word);
    word = '';
    state = 'start';
  };
  const chars = [...line];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const quoted = state === 'single' || state === 'double';
    if (/\s/.test(c)) {
      if (state === 'plain') finish();
      else if (quoted) word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      const q: State = c === '"' ? 'double' : 'single';
      if (state === 'start' || state === 'plain') state = q;
      else if (state === q) state = 'plain';
      else word += c;
      continue;
    }
    if (c === '\\') {
      const next = chars[i + 1];
      if (quoted) {
        const quote = state === 'single' ? "'" : '"';
        if (next === quote) {
          word += next;
          i++;
        } else if (next !== undefined && GLOB_CHARS.has(next)) {
          // An escaped wildcard inside quotes stays escaped twice: once for the quotes, once for the glob.
          word += `\\\\\\${next}`;
          i++;
        } else if (next !== undefined) {
          word += `\\${next}`;
          i++;
        } else word += c;
        continue;
      }
      if (state === 'start') state = 'plain';
      if (next === undefined) continue;
      // Outside quotes a backslash before a glob character (or itself) is kept for the glob; others just escape.
      word += GLOB_CHARS.has(next) || next === '\\' ? `\\${next}` : next;
      i++;
      continue;
    }
    if (c === '#' && !quoted) {
      // A comment ends the line.
      if (state === 'plain') finish();
      return words;
    }
    if (state === 'start') state = 'plain';
    // A quoted wildcard is a plain character: protect it from the glob.
    word += quoted && GLOB_CHARS.has(c) ? `\\${c}` : c;
  }
  if (state === 'single' || state === 'double') throw new CommandWordsError('Unterminated quoted argument');
  if (state === 'plain') finish();
  return words;
}
