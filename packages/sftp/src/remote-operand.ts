// Operands naming a remote file, as OpenSSH's sftp and scp read them: `[user@]host:path` (an IPv6 address in
// brackets), or `sftp://[user@]host[:port][/path]` / `scp://...`. A colon after a "/" is part of a local path.

export interface RemoteOperand {
  /** `user@host` as ssh takes it (brackets removed). */
  destination: string;
  user: string | undefined;
  host: string;
  port: number | undefined;
  /** The path after the colon; "" when none was given. */
  path: string;
}

/** OpenSSH's colon(): where the host part ends, or -1 for a local path. */
function hostColon(arg: string): number {
  if (arg.startsWith(':')) return -1;
  let inBrackets = false;
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i];
    if (c === '@' && arg[i + 1] === '[') inBrackets = true;
    else if (c === '[' && i === 0) inBrackets = true;
    else if (c === ']' && arg[i + 1] === ':' && inBrackets) return i + 1;
    else if (c === ':' && !inBrackets) return i;
    else if (c === '/') return -1;
  }
  return -1;
}

function fromUri(arg: string, scheme: string): RemoteOperand | undefined {
  const prefix = `${scheme}://`;
  if (!arg.toLowerCase().startsWith(prefix)) return undefined;
  const rest = arg.slice(prefix.length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : decodeURIComponent(rest.slice(slash + 1));
  const at = authority.lastIndexOf('@');
  const user = at < 0 ? undefined : decodeURIComponent(authority.slice(0, at).split(';')[0]);
  let hostPort = at < 0 ? authority : authority.slice(at + 1);
  let port: number | undefined;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostPort);
  if (!m) return undefined;
  hostPort = m[1];
  if (m[2] !== undefined) port = Number(m[2]);
  const host = hostPort.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return undefined;
  return { destination: user === undefined ? host : `${user}@${host}`, user, host, port, path };
}

/** The remote operand in `arg`, or undefined when it names a local file. */
export function parseRemoteOperand(arg: string, scheme: 'sftp' | 'scp'): RemoteOperand | undefined {
  const uri = fromUri(arg, scheme);
  if (uri) return uri;
  const colon = hostColon(arg);
  if (colon < 0) return undefined;
  const who = arg.slice(0, colon);
  const at = who.lastIndexOf('@');
  const user = at < 0 ? undefined : who.slice(0, at);
  const host = (at < 0 ? who : who.slice(at + 1)).replace(/^\[(.*)\]$/, '$1');
  return { destination: user === undefined ? host : `${user}@${host}`, user, host, port: undefined, path: arg.slice(colon + 1) };
}

/** sftp's destination: the same forms, and a bare `[user@]host` as well. */
export function parseSftpDestination(arg: string): RemoteOperand {
  const r = parseRemoteOperand(arg, 'sftp');
  if (r) return r;
  const at = arg.lastIndexOf('@');
  const user = at < 0 ? undefined : arg.slice(0, at);
  const host = (at < 0 ? arg : arg.slice(at + 1)).replace(/^\[(.*)\]$/, '$1');
  return { destination: user === undefined ? host : `${user}@${host}`, user, host, port: undefined, path: '' };
}
