// The source network a connection counts against (PerSourceNetBlockSize): the client's address with its host
// bits cleared, written `address/bits` as OpenSSH logs it.
import { parseIpAddress } from '@tssh/ssh-protocol/config';

export interface NetBlockSize {
  readonly v4: number;
  readonly v6: number;
}

export interface SourceBlock {
  readonly family: 4 | 6;
  /** `127.0.0.0/24`, `2001:db8::/64`: the key of every per-source table. */
  readonly key: string;
}

/** The block `address` belongs to, or undefined for something that is not an IP address. */
export function sourceBlock(address: string, size: NetBlockSize): SourceBlock | undefined {
  const ip = parseIpAddress(address);
  if (!ip) return undefined;
  const bits = ip.family === 4 ? size.v4 : size.v6;
  const masked = new Uint8Array(ip.bytes.length);
  for (let i = 0; i < masked.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    masked[i] = ip.bytes[i] & ((0xff << (8 - keep)) & 0xff);
  }
  const text = ip.family === 4 ? masked.join('.') : formatIpv6(masked);
  return { family: ip.family, key: `${text}/${bits}` };
}

/** RFC 5952 text: lower-case groups, the longest run of two or more zero groups as `::`. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  const head = hex.slice(0, best.start).join(':');
  const tail = hex.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}
