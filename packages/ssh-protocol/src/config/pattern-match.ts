// OpenSSH wildcard patterns (match.c): '*' matches any run, '?' one character; lists are
// comma-separated and an entry starting with '!' negates.

/** Whole-string wildcard match. */
export function matchPattern(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The outcome of a pattern list: a negated entry matched, nothing matched, or a positive entry matched. */
export type ListMatch = -1 | 0 | 1;

/**
 * match_pattern_list(): -1 if a negated entry matches (negation wins), 1 if a positive one does, else 0.
 * With `ignoreCase` the text and patterns are compared in lower case, as for host names.
 */
export function matchPatternList(text: string, list: string, ignoreCase = false): ListMatch {
  const subject = ignoreCase ? text.toLowerCase() : text;
  let found: ListMatch = 0;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    let pattern = negated ? raw.slice(1) : raw;
    if (ignoreCase) pattern = pattern.toLowerCase();
    if (matchPattern(subject, pattern)) {
      if (negated) return -1;
      found = 1;
    }
  }
  return found;
}

/** Host names compare without regard to case. */
export function matchHostList(host: string, list: string): ListMatch {
  return matchPatternList(host, list, true);
}
