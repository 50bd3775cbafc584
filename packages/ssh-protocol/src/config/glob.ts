// Shell-style path globbing for Include, as glob(3) does it: '*', '?' and '[...]' per path
// component, no match of a leading '.' unless the pattern has one, results sorted.

import { posix } from 'node:path';
import type { ConfigFs } from './config-fs.js';

function hasMagic(s: string): boolean {
  return /[*?[]/.test(s);
}

/** Matches one file name against one glob component. */
export function matchGlobComponent(name: string, pattern: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  return globRegExp(pattern).test(name);
}

function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Expands an absolute pattern to the existing paths it names, sorted; [] when nothing matches. */
export function expandGlob(pattern: string, fs: ConfigFs): string[] {
  if (!hasMagic(pattern)) return fs.exists(pattern) ? [pattern] : [];
  const parts = pattern.split('/').filter((p) => p !== '');
  let found = [pattern.startsWith('/') ? '/' : '.'];
  for (const part of parts) {
    const next: string[] = [];
    for (const dir of found) {
      if (!hasMagic(part)) {
        const p = posix.join(dir, part);
        if (fs.exists(p)) next.push(p);
        continue;
      }
      for (const name of (fs.listDir(dir) ?? []).sort()) {
        if (matchGlobComponent(name, part)) next.push(posix.join(dir, name));
      }
    }
    found = next;
  }
  return found.sort();
}
