// OpenSSH patterns (ssh_config(5) "PATTERNS", sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): `*` matches any run of
// characters, `?` exactly one; a comma-separated list matches when some pattern does and no `!pattern` does.

/** Whether the whole of `s` matches `pattern`. */
export function matchPattern(s: string, pattern: string): boolean {
  let si = 0;
  let pi = 0;
  // Where to resume after the last `*`: the pattern index after it, and the next string index to try.
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < pattern.length && (pattern[pi] === '?' || pattern[pi] === s[si])) {
      si++;
      pi++;
    } else if (pi < pattern.length && pattern[pi] === '*') {
      starP = ++pi;
      starS = si;
    } else if (starP >= 0) {
      pi = starP;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pi < pattern.length && pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

export type PatternListMatch = 'match' | 'no-match' | 'negated';

/** Match against a comma-separated list; a matching negated pattern wins over everything else. */
export function matchPatternList(s: string, list: string, opts: { lowercase?: boolean } = {}): PatternListMatch {
  let positive = false;
  for (const item of list.split(',')) {
    const negated = item.startsWith('!');
    let pattern = negated ? item.slice(1) : item;
    if (opts.lowercase) pattern = pattern.toLowerCase();
    if (matchPattern(s, pattern)) {
      if (negated) return 'negated';
      positive = true;
    }
  }
  return positive ? 'match' : 'no-match';
}

/** OpenSSH match_hostname: case-insensitive, true only for a positive, un-negated match. */
export function matchHostPatterns(host: string, list: string): boolean {
  return matchPatternList(host.toLowerCase(), list, { lowercase: true }) === 'match';
}
