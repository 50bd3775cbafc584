// Keyword tables: each keyword names the field it sets, parses its arguments, and says whether
// later lines add to the value (multi) or are ignored because the first value wins.

import type { ConfigLine } from './lexer.js';

export interface KeywordSpec<T, Ctx> {
  /** Canonical spelling, e.g. `PermitRootLogin`. */
  readonly name: string;
  readonly field: keyof T;
  /** Later lines add to the value instead of being ignored. */
  readonly multi?: boolean;
  /** sshd: allowed inside a Match block. */
  readonly inMatch?: boolean;
  parse(line: ConfigLine, ctx: Ctx): unknown;
  /** How a multi value grows; the default appends entries not already present. */
  merge?(prev: unknown, next: unknown, line: ConfigLine): unknown;
}

/** A typed constructor for table entries: `parse` must return the type of `field`. */
export function keywordOf<T, Ctx>() {
  return <K extends keyof T>(spec: {
    name: string;
    field: K;
    multi?: boolean;
    inMatch?: boolean;
    parse(line: ConfigLine, ctx: Ctx): T[K];
    merge?(prev: T[K], next: T[K], line: ConfigLine): T[K];
  }): KeywordSpec<T, Ctx> => spec as KeywordSpec<T, Ctx>;
}

/** Indexes a table by lower-case keyword, with aliases. */
export function indexKeywords<T, Ctx>(
  specs: readonly KeywordSpec<T, Ctx>[],
  aliases: Readonly<Record<string, string>> = {},
): ReadonlyMap<string, KeywordSpec<T, Ctx>> {
  const map = new Map<string, KeywordSpec<T, Ctx>>();
  for (const s of specs) map.set(s.name.toLowerCase(), s);
  for (const [alias, target] of Object.entries(aliases)) {
    const spec = map.get(target.toLowerCase());
    if (!spec) throw new Error(`alias ${alias} names unknown keyword ${target}`);
    map.set(alias.toLowerCase(), spec);
  }
  return map;
}

function appendUnique(prev: unknown, next: unknown): unknown {
  const out = [...(prev as unknown[])];
  const seen = new Set(out.map((v) => JSON.stringify(v)));
  for (const v of next as unknown[]) {
    const key = JSON.stringify(v);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}

/** Values collected so far; the first value of a field wins unless its keyword is multi. */
export class SettingSet<T> {
  readonly values: Partial<T> = {};
  readonly sources = new Map<keyof T, ConfigLine>();

  apply<Ctx>(spec: KeywordSpec<T, Ctx>, value: unknown, line: ConfigLine): void {
    const field = spec.field;
    if (!this.sources.has(field)) {
      (this.values as Record<keyof T, unknown>)[field] = value;
      this.sources.set(field, line);
    } else if (spec.multi) {
      const prev = this.values[field];
      (this.values as Record<keyof T, unknown>)[field] = spec.merge ? spec.merge(prev, value, line) : appendUnique(prev, value);
    }
  }

  has(field: keyof T): boolean {
    return this.sources.has(field);
  }
}
