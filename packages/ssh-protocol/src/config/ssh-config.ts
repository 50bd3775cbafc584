// ssh_config resolution (OpenSSH readconf.c): -o options first, then the user's and the system's
// files; for each keyword the first value obtained wins, except the multi keywords, which accumulate.

import { posix } from 'node:path';
import { hostname, userInfo } from 'node:os';
import type { AlgorithmCatalog } from './algorithm-list.js';
import { ConfigError } from './config-error.js';
import { readConfigFile, type ConfigFs } from './config-fs.js';
import { readConfigTree, walkConfig, type ConfigFile, type ParsedLine } from './config-tree.js';
import { SettingSet, type KeywordSpec } from './keyword-table.js';
import { lexOption, type ConfigLine } from './lexer.js';
import { nodeConfigFs } from './node-config-fs.js';
import { SSH_KEYWORD_INDEX, SSH_UNSUPPORTED_KEYWORDS, type SshParseContext } from './ssh-keywords.js';
import { parseSshCondition, sshConditionApplies, wantsFinalPass, type SshCondition } from './ssh-match.js';
import { DEFAULT_SYSCONF_DIR } from './sshd-options.js';
import type { ResolvedSshConfig, SshSettings } from './ssh-options.js';
import { finishSshConfig, type LocalIdentity } from './ssh-finish.js';
import { expandTokens } from './tokens.js';
import { matchPatternList } from './pattern-match.js';

type SshEntry =
  | { readonly kind: 'known'; readonly spec: KeywordSpec<SshSettings, SshParseContext>; readonly value: unknown }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'unsupported' };

type SshTree = ConfigFile<SshEntry, SshCondition>;

export interface SshResolveOptions {
  /** The host as typed: an alias, a name or an address. */
  readonly host: string;
  /** `-l` / user@ on the command line. */
  readonly user?: string;
  /** `-p` on the command line. */
  readonly port?: number;
  /** `-o Keyword=value` options in order; they come before any file. */
  readonly cliOptions?: readonly string[];
  /** Config files in order: the user's (~ and relative Include from ~/.ssh), then the system's. Missing ones are skipped. */
  readonly files?: readonly string[];
  readonly fs?: ConfigFs;
  /** Local user facts; the running process's by default. */
  readonly local?: Partial<LocalIdentity>;
  /** Environment for ${VAR} in paths. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** /etc/tssh by default: the system known_hosts files live there. */
  readonly sysconfDir?: string;
  /** When given, algorithm lists are checked against it while reading. */
  readonly algorithms?: AlgorithmCatalog;
}

function parseLine(line: ConfigLine, ctx: SshParseContext): ParsedLine<SshEntry, SshCondition> {
  if (line.key === 'host' || line.key === 'match') return { kind: 'condition', value: parseSshCondition(line) };
  const spec = SSH_KEYWORD_INDEX.get(line.key);
  if (spec) return { kind: 'setting', value: { kind: 'known', spec, value: spec.parse(line, ctx) } };
  return { kind: 'setting', value: { kind: SSH_UNSUPPORTED_KEYWORDS.has(line.key) ? 'unsupported' : 'unknown' } };
}

function localIdentity(given: Partial<LocalIdentity> = {}): LocalIdentity {
  const needOs = given.user === undefined || given.home === undefined || given.uid === undefined;
  const info = needOs ? userInfo() : undefined;
  return {
    user: given.user ?? info?.username ?? 'unknown',
    home: given.home ?? info?.homedir ?? '/',
    uid: given.uid ?? info?.uid ?? 0,
    hostname: given.hostname ?? hostname(),
  };
}

class Resolution {
  readonly set = new SettingSet<SshSettings>();
  readonly unsupported: string[] = [];
  wantFinal = false;

  constructor(
    readonly host: string,
    readonly local: LocalIdentity,
  ) {}

  apply(entry: SshEntry, at: ConfigLine, active: boolean): void {
    if (entry.kind === 'unknown') {
      const ignore = this.set.values.ignoreUnknown;
      if (ignore !== undefined && matchPatternList(at.key, ignore, true) === 1) return;
      throw ConfigError.at(at, `Bad configuration option: ${at.key}`);
    }
    if (!active) return;
    if (entry.kind === 'unsupported') this.unsupported.push(at.keyword);
    else this.set.apply(entry.spec, entry.value, at);
  }

  walk(tree: SshTree, finalPass: boolean): void {
    walkConfig(
      tree,
      {
        condition: (cond) => {
          if (wantsFinalPass(cond)) this.wantFinal = true;
          const v = this.set.values;
          const hostName = v.hostName !== undefined ? expandTokens(v.hostName, { h: this.host }) : this.host;
          return sshConditionApplies(cond, {
            originalHost: this.host,
            host: hostName,
            user: v.user ?? this.local.user,
            localUser: this.local.user,
            finalPass,
          });
        },
        setting: (entry, at, active) => this.apply(entry, at, active),
      },
      { active: true },
    );
  }
}

function commandLine(res: Resolution, opts: SshResolveOptions, ctx: SshParseContext): void {
  const preset = (keyword: string, value: string | number | undefined) => {
    if (value === undefined) return;
    const spec = SSH_KEYWORD_INDEX.get(keyword.toLowerCase()) as KeywordSpec<SshSettings, SshParseContext>;
    const at: ConfigLine = { file: 'command-line', line: 0, keyword, key: keyword.toLowerCase(), args: [String(value)], rest: String(value) };
    res.set.apply(spec, value, at);
  };
  preset('User', opts.user);
  preset('Port', opts.port);
  (opts.cliOptions ?? []).forEach((option, i) => {
    const line = lexOption(option, i);
    if (line.key === 'host' || line.key === 'match' || line.key === 'include') {
      const name = line.key === 'host' ? 'Host' : line.key === 'match' ? 'Match' : 'Include';
      throw ConfigError.at(line, `${name} directive not supported as a command-line option`);
    }
    const parsed = parseLine(line, ctx);
    if (parsed.kind === 'setting') res.apply(parsed.value, line, true);
  });
}

/** Resolves the configuration for one destination, like `ssh -G host`. */
export function resolveSshConfig(opts: SshResolveOptions): ResolvedSshConfig {
  const fs = opts.fs ?? nodeConfigFs;
  const local = localIdentity(opts.local);
  const sysconfDir = opts.sysconfDir ?? DEFAULT_SYSCONF_DIR;
  const files = opts.files ?? [posix.join(local.home, '.ssh/config'), posix.join(sysconfDir, 'ssh_config')];
  const ctx: SshParseContext = { algorithms: opts.algorithms };
  const trees: SshTree[] = [];
  files.forEach((file, i) => {
    if (!fs.exists(file)) return;
    const user = i === 0;
    trees.push(
      readConfigTree(readConfigFile(fs, file), file, {
        fs,
        includeBase: user ? posix.join(local.home, '.ssh') : posix.dirname(file),
        home: user ? local.home : undefined,
        parseLine: (line) => parseLine(line, ctx),
      }),
    );
  });
  const res = new Resolution(opts.host, local);
  commandLine(res, opts, ctx);
  for (const tree of trees) res.walk(tree, false);
  if (res.wantFinal) for (const tree of trees) res.walk(tree, true);
  return finishSshConfig({
    host: opts.host,
    values: res.set.values,
    sources: res.set.sources,
    local,
    env: opts.env ?? process.env,
    sysconfDir,
    unsupported: res.unsupported,
  });
}
