// sshd_config: parse into a typed SshdConfig (first value wins), apply Match blocks per connection.

import { posix } from 'node:path';
import type { AlgorithmCatalog } from './algorithm-list.js';
import { ConfigError } from './config-error.js';
import { readConfigFile, type ConfigFs } from './config-fs.js';
import { readConfigTree, walkConfig, type ConfigFile, type ParsedLine } from './config-tree.js';
import { SettingSet, type KeywordSpec } from './keyword-table.js';
import { lexOption, type ConfigLine } from './lexer.js';
import { nodeConfigFs } from './node-config-fs.js';
import { SSHD_KEYWORD_INDEX, type SshdParseContext } from './sshd-keywords.js';
import { parseSshdMatch, sshdMatchApplies, type ConnectionInfo, type SshdMatchCriterion } from './sshd-match.js';
import { sshdDefaults, type SshdSettings } from './sshd-options.js';

interface SshdEntry {
  readonly spec: KeywordSpec<SshdSettings, SshdParseContext>;
  readonly value: unknown;
}

/** The parsed file kept with the config, so that Match blocks can be applied per connection. */
export interface SshdRules {
  readonly tree: ConfigFile<SshdEntry, readonly SshdMatchCriterion[]>;
  /** `-o` options: they win over everything in the file, Match blocks included. */
  readonly overrides: readonly { readonly entry: SshdEntry; readonly at: ConfigLine }[];
  /** The global values (defaults, `-o`, lines outside Match), the starting point of every connection. */
  readonly global: Readonly<SshdSettings>;
}

export interface SshdConfig extends Readonly<SshdSettings> {
  readonly rules: SshdRules;
}

export interface SshdParseOptions {
  /** File access for Include; the real file system by default. */
  readonly fs?: ConfigFs;
  /** Where relative Include paths start; the directory of the main file by default. */
  readonly includeBase?: string;
  /** Directory of the default host keys; /etc/tssh by default. */
  readonly sysconfDir?: string;
  /** `-o Keyword=value` options, in command-line order. */
  readonly overrides?: readonly string[];
  /** When given, algorithm lists are checked against it while parsing. */
  readonly algorithms?: AlgorithmCatalog;
}

function lookup(line: ConfigLine): KeywordSpec<SshdSettings, SshdParseContext> {
  const spec = SSHD_KEYWORD_INDEX.get(line.key);
  if (!spec) throw ConfigError.at(line, `Bad configuration option: ${line.keyword}`);
  return spec;
}

function parseLine(line: ConfigLine, inMatch: boolean, ctx: SshdParseContext): ParsedLine<SshdEntry, readonly SshdMatchCriterion[]> {
  if (line.key === 'match') return { kind: 'condition', value: parseSshdMatch(line) };
  const spec = lookup(line);
  if (inMatch && !spec.inMatch) {
    throw ConfigError.at(line, `Directive '${line.keyword}' is not allowed within a Match block`);
  }
  return { kind: 'setting', value: { spec, value: spec.parse(line, ctx) } };
}

function parseOverride(option: string, index: number, ctx: SshdParseContext) {
  const line = lexOption(option, index);
  if (line.key === 'match' || line.key === 'include') {
    const name = line.key === 'match' ? 'Match' : 'Include';
    throw ConfigError.at(line, `${name} directive not supported as a command-line option`);
  }
  const spec = lookup(line);
  return { entry: { spec, value: spec.parse(line, ctx) }, at: line };
}

function collect(rules: Pick<SshdRules, 'tree' | 'overrides'>, conn: ConnectionInfo | undefined): SettingSet<SshdSettings> {
  const set = new SettingSet<SshdSettings>();
  if (!conn) for (const o of rules.overrides) set.apply(o.entry.spec, o.entry.value, o.at);
  walkConfig(
    rules.tree,
    {
      condition: (criteria) => conn !== undefined && sshdMatchApplies(criteria, conn),
      setting: (e, at, active) => {
        if (active) set.apply(e.spec, e.value, at);
      },
    },
    // With a connection only Match blocks are read again (OpenSSH's "reprocess config").
    { active: conn === undefined },
  );
  return set;
}

/** Parses sshd_config text; `file` names it in errors and anchors relative Include paths. */
export function parseSshdConfig(text: string, file: string, opts: SshdParseOptions = {}): SshdConfig {
  const ctx: SshdParseContext = { algorithms: opts.algorithms };
  const overrides = (opts.overrides ?? []).map((o, i) => parseOverride(o, i, ctx));
  const tree = readConfigTree(text, file, {
    fs: opts.fs ?? nodeConfigFs,
    includeBase: opts.includeBase ?? posix.dirname(file),
    parseLine: (line, inMatch) => parseLine(line, inMatch, ctx),
  });
  const partial = { tree, overrides };
  const global: SshdSettings = { ...sshdDefaults(opts.sysconfDir), ...collect(partial, undefined).values };
  return { ...global, rules: { ...partial, global } };
}

/** Reads and parses a server config file, with `-o` overrides. */
export function loadSshdConfig(path: string, overrides: readonly string[] = [], opts: SshdParseOptions = {}): SshdConfig {
  const text = readConfigFile(opts.fs ?? nodeConfigFs, path);
  return parseSshdConfig(text, path, { ...opts, overrides });
}

/**
 * The configuration for one connection: Match blocks that apply override the global values (the
 * first matching value wins among them), then `-o` options override both.
 */
export function resolveForConnection(config: SshdConfig, conn: ConnectionInfo): SshdConfig {
  const matched = collect(config.rules, conn);
  const cmdline = new SettingSet<SshdSettings>();
  for (const o of config.rules.overrides) cmdline.apply(o.entry.spec, o.entry.value, o.at);
  return { ...config.rules.global, ...matched.values, ...cmdline.values, rules: config.rules };
}
