// Who may log in: AllowUsers / DenyUsers / AllowGroups / DenyGroups (OpenSSH auth.c allowed_user),
// and where a user's authorized keys files are.

import { posix } from 'node:path';
import { matchAddressList } from './address-match.js';
import { matchHostList, matchPattern } from './pattern-match.js';
import type { SshdSettings } from './sshd-options.js';
import { expandTokens } from './tokens.js';

export interface AccessRequest {
  readonly user: string;
  readonly groups: readonly string[];
  /** The client's host name, or its address when names are not looked up. */
  readonly host: string;
  readonly address: string;
}

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** `user` or `user@host`, where host is a host pattern list or address/CIDR list. */
function userEntryMatches(entry: string, req: AccessRequest): boolean {
  const at = entry.indexOf('@');
  if (at < 0) return matchPattern(req.user, entry);
  if (!matchPattern(req.user, entry.slice(0, at))) return false;
  const hosts = entry.slice(at + 1);
  const byAddress = matchAddressList(req.address, hosts);
  const byName = matchHostList(req.host, hosts);
  if (byAddress === -1 || byName === -1) return false;
  return byAddress === 1 || byName === 1;
}

function anyGroupIn(groups: readonly string[], patterns: readonly string[]): boolean {
  return patterns.some((p) => groups.some((g) => matchPattern(g, p)));
}

/** Applies the lists in OpenSSH's order; the reason reads like sshd's log line. */
export function checkUserAccess(
  cfg: Pick<SshdSettings, 'allowUsers' | 'denyUsers' | 'allowGroups' | 'denyGroups'>,
  req: AccessRequest,
): AccessDecision {
  const deny = (why: string): AccessDecision => ({
    allowed: false,
    reason: `User ${req.user} from ${req.host} not allowed because ${why}`,
  });
  if (cfg.denyUsers.some((e) => userEntryMatches(e, req))) return deny('listed in DenyUsers');
  if (cfg.allowUsers.length > 0 && !cfg.allowUsers.some((e) => userEntryMatches(e, req))) {
    return deny('not listed in AllowUsers');
  }
  if (cfg.denyGroups.length > 0 || cfg.allowGroups.length > 0) {
    if (req.groups.length === 0) return deny('not in any group');
    if (anyGroupIn(req.groups, cfg.denyGroups)) return deny('a group is listed in DenyGroups');
    if (cfg.allowGroups.length > 0 && !anyGroupIn(req.groups, cfg.allowGroups)) {
      return deny("none of user's groups are listed in AllowGroups");
    }
  }
  return { allowed: true };
}

/** AuthorizedKeysFile entries for one user: %h home, %u user, %U uid, %% percent; relative to home. */
export function authorizedKeysPaths(
  cfg: Pick<SshdSettings, 'authorizedKeysFiles'>,
  user: { readonly name: string; readonly home: string; readonly uid: number },
): string[] {
  const tokens = { h: user.home, u: user.name, U: String(user.uid) };
  return cfg.authorizedKeysFiles.map((f) => {
    const path = expandTokens(f, tokens);
    return path.startsWith('/') ? path : posix.join(user.home, path);
  });
}
