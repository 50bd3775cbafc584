// glob(3) for sftp's commands, on either side: `*`, `?` and `[...]` in any component, `\` to make them plain, and
// a leading "." matched only by a leading "." (as the shell does). The file system comes in as an interface, so
// that the same expansion serves remote paths (over SFTP) and local ones.
import { appendPath } from './remote-path.js';

const MAGIC = new Set(['*', '?', '[']);

/** Whether `pattern` holds a `*`, `?` or `[` that is not escaped. */
export function hasGlobMagic(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (MAGIC.has(pattern[i])) return true;
  }
  return false;
}

/** undo_glob_escape(): `\*`, `\?`, `\[` and `\\` become the character; any other `\x` stays as it is. */
export function unescapeGlob(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const next = s[i + 1];
    if (MAGIC.has(next) || next === '\\') out += next;
    else out += `\\${next}`;
    i++;
  }
  return out;
}

/** `[...]` at `p` (just after the `[`): whether `c` is in it, and where the class ends; undefined when unclosed. */
function matchClass(pattern: string, p: number, c: string): { matched: boolean; next: number } | undefined {
  let negate = false;
  if (pattern[p] === '!' || pattern[p] === '^') {
    negate = true;
    p++;
  }
  let matched = false;
  let first = true;
  while (p < pattern.length && (first || pattern[p] !== ']')) {
    first = false;
    let lo = pattern[p];
    if (lo === '\\' && p + 1 < pattern.length) lo = pattern[++p];
    p++;
    let hi = lo;
    if (pattern[p] === '-' && p + 1 < pattern.length && pattern[p + 1] !== ']') {
      hi = pattern[p + 1];
      if (hi === '\\' && p + 2 < pattern.length) hi = pattern[++p + 1];
      p += 2;
    }
    if (lo <= c && c <= hi) matched = true;
  }
  if (p >= pattern.length) return undefined;
  return { matched: matched !== negate, next: p + 1 };
}

/** fnmatch(3) of one path component, with FNM_PERIOD: a leading "." must be matched by a literal ".". */
export function matchComponent(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.') && !pattern.startsWith('\\.')) return false;
  const chars = [...name];
  const memo = new Map<string, boolean>();
  const at = (p: number, n: number): boolean => {
    const key = `${p},${n}`;
    const seen = memo.get(key);
    if (seen !== undefined) return seen;
    let result: boolean;
    if (p >= pattern.length) result = n >= chars.length;
    else {
      const pc = pattern[p];
      if (pc === '*') result = at(p + 1, n) || (n < chars.length && at(p, n + 1));
      else if (n >= chars.length) result = false;
      else if (pc === '?') result = at(p + 1, n + 1);
      else if (pc === '[') {
        const cls = matchClass(pattern, p + 1, chars[n]);
        // An unclosed "[" is a plain character.
        result = cls === undefined ? chars[n] === '[' && at(p + 1, n + 1) : cls.matched && at(cls.next, n + 1);
      } else if (pc === '\\' && p + 1 < pattern.length) result = chars[n] === pattern[p + 1] && at(p + 2, n + 1);
      else result = chars[n] === pc && at(p + 1, n + 1);
    }
    memo.set(key, result);
    return result;
  };
  return at(0, 0);
}

export interface GlobEntry<S> {
  name: string;
  stat: S;
}

/** What a glob needs from a file system; `S` is its stat type. */
export interface GlobFs<S> {
  /** The entries of a directory (without "." and ".."), or undefined when it cannot be read. */
  list(dir: string): Promise<Array<GlobEntry<S>> | undefined>;
  /** stat(2), following symbolic links; undefined when there is nothing there. */
  stat(path: string): Promise<S | undefined>;
  isLink(s: S): boolean;
}

export interface GlobMatch<S> {
  /** The path as the pattern spelled it, with matched names in place of the wildcards. */
  path: string;
  /** Symbolic links followed. */
  stat: S;
}

/**
 * The existing paths matching `pattern`, sorted. A pattern without wildcards matches itself when it exists.
 * An absolute pattern gives absolute paths; a relative one gives paths relative to the lister's directory.
 */
export async function expandGlob<S>(pattern: string, fs: GlobFs<S>): Promise<Array<GlobMatch<S>>> {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p) => p !== '');
  if (parts.length === 0) {
    const st = await fs.stat(absolute ? '/' : '.');
    return st === undefined ? [] : [{ path: absolute ? '/' : '.', stat: st }];
  }
  // Each candidate carries the stat seen in a listing, reusable when it is the last component.
  let candidates: Array<{ path: string; listed?: S }> = [{ path: absolute ? '/' : '' }];
  for (const part of parts) {
    if (!hasGlobMagic(part)) {
      const name = unescapeGlob(part);
      candidates = candidates.map((c) => ({ path: appendPath(c.path, name) }));
      continue;
    }
    const next: Array<{ path: string; listed?: S }> = [];
    for (const c of candidates) {
      const entries = await fs.list(c.path === '' ? '.' : c.path);
      for (const e of entries ?? []) {
        if (e.name === '.' || e.name === '..' || !matchComponent(part, e.name)) continue;
        next.push({ path: appendPath(c.path, e.name), listed: e.stat });
      }
    }
    candidates = next;
  }
  const stats = await Promise.all(
    candidates.map((c): Promise<S | undefined> | S => (c.listed !== undefined && !fs.isLink(c.listed) ? c.listed : fs.stat(c.path))),
  );
  const found: Array<GlobMatch<S>> = [];
  candidates.forEach((c, i) => {
    const st = stats[i];
    if (st !== undefined) found.push({ path: c.path, stat: st });
  });
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
