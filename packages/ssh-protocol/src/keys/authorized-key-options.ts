// The options field of an authorized_keys line (sshd(8) "AUTHORIZED_KEYS FILE FORMAT"), parsed as sshd's
// sshauthopt_parse does: comma-separated, names case-insensitive, values in double quotes with \" escapes.
import { KeyFormatError } from './key-errors.js';

export interface AuthorizedKeyOptions {
  /** `restrict`: every permission below starts off. */
  readonly restrict: boolean;
  /** `cert-authority`: the key is a CA for user certificates, not a user key. */
  readonly certAuthority: boolean;
  readonly portForwarding: boolean;
  readonly agentForwarding: boolean;
  readonly x11Forwarding: boolean;
  readonly pty: boolean;
  readonly userRc: boolean;
  /** `no-touch-required` (FIDO keys). */
  readonly noTouchRequired: boolean;
  readonly verifyRequired: boolean;
  readonly command?: string;
  readonly principals?: string;
  /** `from="pattern-list"`: client host names or addresses allowed. */
  readonly from?: string;
  /** `expiry-time`: seconds since the epoch after which the key is refused (earliest if repeated). */
  readonly expiryTime?: number;
  /** `environment="NAME=value"`, first one per name wins. */
  readonly environment: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** `permitopen="host:port"` (port may be `*`). */
  readonly permitOpen: readonly string[];
  /** `permitlisten="[host:]port"`; a bare port gets host `*`. */
  readonly permitListen: readonly string[];
  /** `tunnel="n"` or `tunnel="any"`. */
  readonly tunnel?: number | 'any';
}

export const DEFAULT_AUTHORIZED_KEY_OPTIONS: AuthorizedKeyOptions = Object.freeze({
  restrict: false,
  certAuthority: false,
  portForwarding: true,
  agentForwarding: true,
  x11Forwarding: true,
  pty: true,
  userRc: true,
  noTouchRequired: false,
  verifyRequired: false,
  environment: Object.freeze([]),
  permitOpen: Object.freeze([]),
  permitListen: Object.freeze([]),
});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Flag = 'portForwarding' | 'agentForwarding' | 'x11Forwarding' | 'pty' | 'userRc';

/** Flags that take a `no-` prefix, and what they set. */
const NEGATABLE: ReadonlyArray<readonly [string, (o: Mutable<AuthorizedKeyOptions>, on: boolean) => void]> = [
  ['port-forwarding', (o, on) => void (o.portForwarding = on)],
  ['agent-forwarding', (o, on) => void (o.agentForwarding = on)],
  ['x11-forwarding', (o, on) => void (o.x11Forwarding = on)],
  ['touch-required', (o, on) => void (o.noTouchRequired = !on)],
  ['verify-required', (o, on) => void (o.verifyRequired = on)],
  ['pty', (o, on) => void (o.pty = on)],
  ['user-rc', (o, on) => void (o.userRc = on)],
];
const RESTRICTED: readonly Flag[] = ['portForwarding', 'agentForwarding', 'x11Forwarding', 'pty', 'userRc'];

/** A quoted value at `text[pos]`: returns it (with \" unescaped) and the index after the closing quote. */
function dequote(text: string, pos: number): { value: string; end: number } {
  if (text[pos] !== '"') throw new KeyFormatError('missing start quote');
  let value = '';
  let i = pos + 1;
  for (; i < text.length && text[i] !== '"'; i++) {
    if (text[i] === '\\' && text[i + 1] === '"') i++;
    value += text[i];
  }
  if (i >= text.length) throw new KeyFormatError('missing end quote');
  return { value, end: i + 1 };
}

/** Seconds since the epoch for YYYYMMDD[HHMM[SS]], local time unless followed by Z or UTC. */
export function parseExpiryTime(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z|UTC)?$/i.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = m[7] ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : undefined;
}

/** `host:port` as permitopen / permitlisten take it (host may be a bracketed IPv6 address, port `*`). */
function checkPermit(value: string, bareListenPort: boolean): string {
  const v = bareListenPort && !value.includes(':') ? `*:${value}` : value;
  let host: string;
  let port: string | undefined;
  if (v.startsWith('[')) {
    const close = v.indexOf(']');
    if (close < 0 || (close + 1 < v.length && v[close + 1] !== ':')) throw new KeyFormatError('invalid permission hostname');
    host = v.slice(1, close);
    port = close + 1 < v.length ? v.slice(close + 2) : undefined;
  } else {
    const colon = v.indexOf(':');
    host = colon < 0 ? v : v.slice(0, colon);
    port = colon < 0 ? undefined : v.slice(colon + 1);
  }
  if (host.length >= 1025) throw new KeyFormatError('invalid permission hostname');
  if (port === undefined || (port !== '*' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))) {
    throw new KeyFormatError('invalid permission port');
  }
  return v;
}

function quotedOption(o: Mutable<AuthorizedKeyOptions>, name: string, value: string): void {
  switch (name) {
    case 'command':
    case 'principals':
    case 'from': {
      if (o[name] !== undefined) throw new KeyFormatError(`multiple "${name}" clauses`);
      o[name] = value;
      return;
    }
    case 'expiry-time': {
      const t = parseExpiryTime(value);
      if (t === undefined) throw new KeyFormatError('invalid expires time');
      if (o.expiryTime === undefined || t < o.expiryTime) o.expiryTime = t;
      return;
    }
    case 'environment': {
      const eq = value.indexOf('=');
      const envName = value.slice(0, eq);
      if (eq < 1 || !/^[A-Za-z0-9_]+$/.test(envName)) throw new KeyFormatError('invalid environment string');
      if (!o.environment.some((e) => e.name === envName)) {
        o.environment = [...o.environment, { name: envName, value: value.slice(eq + 1) }];
      }
      return;
    }
    case 'permitopen':
      o.permitOpen = [...o.permitOpen, checkPermit(value, false)];
      return;
    case 'permitlisten':
      o.permitListen = [...o.permitListen, checkPermit(value, true)];
      return;
    case 'tunnel': {
      if (value.toLowerCase() === 'any') o.tunnel = 'any';
      else if (/^\d+$/.test(value) && Number(value) <= 0x7fffffff - 2) o.tunnel = Number(value);
      else throw new KeyFormatError('invalid tun device');
      return;
    }
    default:
      throw new KeyFormatError('unknown key option');
  }
}

const QUOTED = /^(command|principals|from|expiry-time|environment|permitopen|permitlisten|tunnel)=/i;

/** Parse an options field (the text before the key type, without surrounding blanks). Throws KeyFormatError. */
export function parseAuthorizedKeyOptions(text: string): AuthorizedKeyOptions {
  const o: Mutable<AuthorizedKeyOptions> = { ...DEFAULT_AUTHORIZED_KEY_OPTIONS };
  let pos = 0;
  while (pos < text.length) {
    const rest = text.slice(pos);
    const lower = rest.toLowerCase();
    const quoted = QUOTED.exec(rest);
    if (lower.startsWith('restrict') && isOptionEnd(rest, 8)) {
      o.restrict = true;
      for (const f of RESTRICTED) o[f] = false;
      pos += 8;
    } else if (lower.startsWith('cert-authority') && isOptionEnd(rest, 14)) {
      o.certAuthority = true;
      pos += 14;
    } else if (quoted) {
      const { value, end } = dequote(text, pos + quoted[0].length);
      quotedOption(o, quoted[1].toLowerCase(), value);
      pos = end;
    } else {
      const negated = lower.startsWith('no-');
      const name = negated ? lower.slice(3) : lower;
      const flag = NEGATABLE.find(([n]) => name.startsWith(n) && isOptionEnd(name, n.length));
      if (!flag) throw new KeyFormatError('unknown key option');
      flag[1](o, !negated);
      pos += (negated ? 3 : 0) + flag[0].length;
    }
    if (pos >= text.length) break;
    if (text[pos] !== ',') throw new KeyFormatError('unknown key option');
    pos++;
    if (pos >= text.length) throw new KeyFormatError('unexpected end-of-options');
  }
  return o;
}

function isOptionEnd(s: string, at: number): boolean {
  return at === s.length || s[at] === ',';
}
