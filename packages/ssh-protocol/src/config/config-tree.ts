// A configuration file as a tree: settings, conditions (Host / Match) and Include'd files.
// Reading checks every line; walking applies them in order with OpenSSH's activity rules.

import { posix } from 'node:path';
import { assertNever } from '../wire/errors.js';
import { ConfigError } from './config-error.js';
import { readConfigFile, type ConfigFs } from './config-fs.js';
import { expandGlob } from './glob.js';
import { lexConfig, type ConfigLine } from './lexer.js';

export type ConfigNode<S, C> =
  | { readonly kind: 'setting'; readonly at: ConfigLine; readonly value: S }
  | { readonly kind: 'condition'; readonly at: ConfigLine; readonly value: C }
  | { readonly kind: 'include'; readonly at: ConfigLine; readonly files: readonly ConfigFile<S, C>[] };

export interface ConfigFile<S, C> {
  readonly path: string;
  readonly nodes: readonly ConfigNode<S, C>[];
}

export type ParsedLine<S, C> = { readonly kind: 'setting'; readonly value: S } | { readonly kind: 'condition'; readonly value: C };

export interface TreeOptions<S, C> {
  readonly fs: ConfigFs;
  /** Relative Include paths are taken from here. */
  readonly includeBase: string;
  /** Home directory for `~/` in Include paths; undefined refuses them (system files). */
  readonly home?: string;
  /** Turns one line into a setting or a condition; `inCondition` is true after a Host/Match line. */
  parseLine(line: ConfigLine, inCondition: boolean): ParsedLine<S, C>;
}

/** OpenSSH's READCONF_MAX_DEPTH. */
const MAX_INCLUDE_DEPTH = 16;

export function readConfigTree<S, C>(
  text: string,
  file: string,
  opts: TreeOptions<S, C>,
  depth = 0,
  inCondition = false,
): ConfigFile<S, C> {
  const nodes: ConfigNode<S, C>[] = [];
  for (const line of lexConfig(text, file)) {
    if (line.key === 'include') {
      nodes.push({ kind: 'include', at: line, files: readIncludes(line, opts, depth, inCondition) });
      continue;
    }
    const parsed = opts.parseLine(line, inCondition);
    if (parsed.kind === 'condition') inCondition = true;
    nodes.push({ ...parsed, at: line });
  }
  return { path: file, nodes };
}

function readIncludes<S, C>(line: ConfigLine, opts: TreeOptions<S, C>, depth: number, inCondition: boolean) {
  if (depth + 1 > MAX_INCLUDE_DEPTH) throw ConfigError.at(line, 'Too many recursive configuration includes');
  const files: ConfigFile<S, C>[] = [];
  for (const arg of line.args) {
    let pattern = arg;
    if (arg === '~' || arg.startsWith('~/')) {
      if (opts.home === undefined) throw ConfigError.at(line, `bad include path ${arg}.`);
      pattern = posix.join(opts.home, arg.slice(1));
    } else if (arg.startsWith('~')) {
      throw ConfigError.at(line, `bad include path ${arg}.`);
    } else if (!arg.startsWith('/')) {
      pattern = posix.join(opts.includeBase, arg);
    }
    for (const path of expandGlob(pattern, opts.fs)) {
      if (opts.fs.listDir(path) !== undefined) continue;
      const text = readConfigFile(opts.fs, path);
      files.push(readConfigTree(text, path, opts, depth + 1, inCondition));
    }
  }
  return files;
}

export interface WalkHandlers<S, C> {
  /** Decides whether the lines after a Host / Match line apply. */
  condition(value: C, at: ConfigLine): boolean;
  /** Called for every setting, active or not, so that checks may run on inactive ones too. */
  setting(value: S, at: ConfigLine, active: boolean): void;
}

export interface WalkState {
  /** Whether lines outside any Host / Match block apply (false when reprocessing only Match blocks). */
  readonly active: boolean;
}

/**
 * Walks a tree in order. A condition switches activity for the rest of its file; an included file
 * starts with the activity of its Include line, and if that line sat in an inactive block, nothing
 * in the included file can become active.
 */
export function walkConfig<S, C>(file: ConfigFile<S, C>, handlers: WalkHandlers<S, C>, state: WalkState): void {
  walkFile(file, handlers, state.active, false, false);
}

function walkFile<S, C>(
  file: ConfigFile<S, C>,
  handlers: WalkHandlers<S, C>,
  startActive: boolean,
  startInCondition: boolean,
  neverMatch: boolean,
): void {
  let active = startActive;
  let inCondition = startInCondition;
  for (const node of file.nodes) {
    switch (node.kind) {
      case 'condition':
        active = neverMatch ? false : handlers.condition(node.value, node.at);
        inCondition = true;
        break;
      case 'setting':
        handlers.setting(node.value, node.at, active);
        break;
      case 'include': {
        const childNever = neverMatch || (inCondition && !active);
        for (const child of node.files) walkFile(child, handlers, active, inCondition, childNever);
        break;
      }
      default:
        assertNever(node);
    }
  }
}
