// Textual IPv4 / IPv6 addresses to bytes, and CIDR prefix tests, for Match Address.

export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^[0-9]{1,3}$/.test(parts[i]) || Number(parts[i]) > 255) return undefined;
    out[i] = Number(parts[i]);
  }
  return out;
}

export function parseIpv6(text: string): Uint8Array | undefined {
  const zone = text.indexOf('%');
  const body = zone >= 0 ? text.slice(0, zone) : text;
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 16 : total > 14) return undefined;
  const out = new Uint8Array(16);
  out.set(head, 0);
  out.set(tail, 16 - tail.length);
  return out;
}

/** Colon-separated 16-bit groups, the last of which may be a dotted IPv4 address; as bytes. */
function groups(text: string): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      out.push(...v4);
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
      const n = parseInt(part, 16);
      out.push(n >> 8, n & 0xff);
    }
  }
  return out;
}

/** Parses either family; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes plain IPv4. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIpv6(text);
  if (!v6) return undefined;
  const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? { family: 4, bytes: v6.slice(12) } : { family: 6, bytes: v6 };
}

export interface Cidr {
  readonly address: IpAddress;
  readonly prefix: number;
}

/** `addr/len`; a bare address is a full-length prefix. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash >= 0 ? text.slice(0, slash) : text);
  if (!address) return undefined;
  const max = address.bytes.length * 8;
  if (slash < 0) return { address, prefix: max };
  const lenText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(lenText) || Number(lenText) > max) return undefined;
  return { address, prefix: Number(lenText) };
}

export function cidrContains(net: Cidr, addr: IpAddress): boolean {
  if (net.address.family !== addr.family) return false;
  let bits = net.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((net.address.bytes[i] & mask) !== (addr.bytes[i] & mask)) return false;
  }
  return true;
}
