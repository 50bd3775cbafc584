// getopt(3)'s reading of one option word, shared by tssh's, tsftp's and tscp's command lines.

export interface OptionLetters {
  /** Letters whose option takes an argument (the rest of the word, or else the next word). */
  readonly withArgument: ReadonlySet<string>;
  /** Letters of options without an argument. */
  readonly flags: ReadonlySet<string>;
}

/**
 * Reads `word` (which starts with `-`) as a group of option letters, `-vvT` or `-p2222` or `-p 2222`: appends one
 * token per option to `out`, each followed by its argument, and returns the index of the next unread word of
 * `argv` (`next` unless an argument was taken from it). Unknown letters and missing arguments throw
 * `usageError` with getopt's wording.
 */
export function readOptionGroup(
  word: string,
  argv: readonly string[],
  next: number,
  letters: OptionLetters,
  out: string[],
  usageError: (message: string) => Error,
): number {
  for (let j = 1; j < word.length; j++) {
    const letter = word[j];
    if (!letters.withArgument.has(letter) && !letters.flags.has(letter)) throw usageError(`unknown option -- ${letter}`);
    out.push(`-${letter}`);
    if (!letters.withArgument.has(letter)) continue;
    const value = j + 1 < word.length ? word.slice(j + 1) : argv[next++];
    if (value === undefined) throw usageError(`option requires an argument -- ${letter}`);
    out.push(value);
    break;
  }
  return next;
}
