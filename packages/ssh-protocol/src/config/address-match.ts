// Address pattern lists (OpenSSH addrmatch.c): comma-separated CIDR blocks or wildcard patterns,
// each optionally negated with '!'.

import { cidrContains, parseCidr, parseIpAddress } from './ip-address.js';
import { matchPattern, type ListMatch } from './pattern-match.js';

const CIDR_CHARS = /^[0-9a-fA-F.:/]+$/;

/** The first entry of the list that is neither a wildcard pattern nor a valid address/prefix. */
export function invalidAddressEntry(list: string): string | undefined {
  for (const raw of list.split(',')) {
    const entry = raw.startsWith('!') ? raw.slice(1) : raw;
    if (entry === '') return raw;
    if (entry.includes('*') || entry.includes('?')) continue;
    if (!CIDR_CHARS.test(entry) || !parseCidr(entry)) return raw;
  }
  return undefined;
}

/** match_addr_pattern_list(): -1 on a negated match, 1 on a positive match, else 0. */
export function matchAddressList(address: string, list: string): ListMatch {
  const addr = parseIpAddress(address);
  const text = addr?.family === 4 ? Array.from(addr.bytes).join('.') : address.toLowerCase();
  let found: ListMatch = 0;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const entry = negated ? raw.slice(1) : raw;
    let hit: boolean;
    if (entry.includes('*') || entry.includes('?')) {
      hit = matchPattern(text, entry.toLowerCase());
    } else {
      const net = parseCidr(entry);
      hit = net !== undefined && addr !== undefined && cidrContains(net, addr);
    }
    if (hit) {
      if (negated) return -1;
      found = 1;
    }
  }
  return found;
}
