// sshd Match blocks (servconf.c match_cfg_line): criteria and their test against one connection.

import { invalidAddressEntry, matchAddressList } from './address-match.js';
import { ConfigError } from './config-error.js';
import type { ConfigLine } from './lexer.js';
import { matchHostList, matchPatternList } from './pattern-match.js';
import { parsePort } from './value-parsers.js';

export type SshdMatchCriterion =
  | { readonly kind: 'all' }
  | { readonly kind: 'user' | 'group' | 'host' | 'address' | 'localaddress'; readonly patterns: string }
  | { readonly kind: 'localport'; readonly port: number };

/** What is known of a connection when Match blocks are applied. */
export interface ConnectionInfo {
  readonly user?: string;
  /** Remote host name (or the address when UseDNS is off). */
  readonly host?: string;
  readonly address?: string;
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly groups?: readonly string[];
}

export function parseSshdMatch(line: ConfigLine): SshdMatchCriterion[] {
  const out: SshdMatchCriterion[] = [];
  const args = [...line.args];
  while (args.length > 0) {
    const attr = args.shift() as string;
    const kind = attr.toLowerCase();
    if (kind === 'all') {
      if (out.length > 0 || args.length > 0) {
        throw ConfigError.at(line, "'all' cannot be combined with other Match attributes");
      }
      out.push({ kind: 'all' });
      continue;
    }
    if (!['user', 'group', 'host', 'address', 'localaddress', 'localport'].includes(kind)) {
      throw ConfigError.at(line, `Unsupported Match attribute ${attr}`);
    }
    const arg = args.shift();
    if (arg === undefined || arg === '') throw ConfigError.at(line, `Missing Match criteria for ${attr}`);
    if (kind === 'localport') {
      const port = parsePort(arg);
      if (port === undefined) throw ConfigError.at(line, `Invalid LocalPort '${arg}' on Match line`);
      out.push({ kind, port });
    } else if (kind === 'address' || kind === 'localaddress') {
      if (invalidAddressEntry(arg) !== undefined) throw ConfigError.at(line, `Invalid Match address argument '${arg}'`);
      out.push({ kind, patterns: arg });
    } else {
      out.push({ kind: kind as 'user' | 'group' | 'host', patterns: arg });
    }
  }
  return out;
}

/** A group list matches when some group matches and none matches a negated entry. */
function groupsMatch(groups: readonly string[], patterns: string): boolean {
  let found = false;
  for (const g of groups) {
    const r = matchPatternList(g, patterns);
    if (r === -1) return false;
    if (r === 1) found = true;
  }
  return found;
}

/** Every criterion must hold; an unknown fact (no user yet, say) fails its criterion. */
export function sshdMatchApplies(criteria: readonly SshdMatchCriterion[], conn: ConnectionInfo): boolean {
  return criteria.every((c) => {
    switch (c.kind) {
      case 'all':
        return true;
      case 'user':
        return conn.user !== undefined && matchPatternList(conn.user, c.patterns) === 1;
      case 'group':
        return conn.groups !== undefined && groupsMatch(conn.groups, c.patterns);
      case 'host':
        return conn.host !== undefined && matchHostList(conn.host, c.patterns) === 1;
      case 'address':
        return conn.address !== undefined && matchAddressList(conn.address, c.patterns) === 1;
      case 'localaddress':
        return conn.localAddress !== undefined && matchAddressList(conn.localAddress, c.patterns) === 1;
      case 'localport':
        return conn.localPort === c.port;
    }
  });
}
