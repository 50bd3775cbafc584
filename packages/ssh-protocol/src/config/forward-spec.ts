// Port forwarding specifications as -L / -R / -D and LocalForward / RemoteForward / DynamicForward
// read them (OpenSSH readconf.c parse_forward): colon-separated fields, [brackets] for IPv6, a field
// with '/' is a Unix socket path.

export type ForwardKind = 'local' | 'remote' | 'dynamic';

export interface ForwardSpec {
  /** Bind address; undefined means the default (loopback unless GatewayPorts). */
  readonly listenHost?: string;
  /** 0 asks the server to pick a port (remote forwards only). */
  readonly listenPort?: number;
  readonly listenPath?: string;
  readonly connectHost?: string;
  readonly connectPort?: number;
  readonly connectPath?: string;
}

interface Field {
  readonly text: string;
  readonly isPath: boolean;
}

/** Splits on ':' outside [brackets]; a backslash escapes the next character. */
function splitFields(spec: string): Field[] | undefined {
  const fields: Field[] = [];
  let i = 0;
  while (i < spec.length && fields.length < 5) {
    if (spec[i] === '[') {
      const close = spec.indexOf(']', i + 1);
      if (close < 0 || (close + 1 < spec.length && spec[close + 1] !== ':')) return undefined;
      const text = spec.slice(i + 1, close);
      fields.push({ text, isPath: text.includes('/') });
      i = close + 2;
      continue;
    }
    let text = '';
    let isPath = false;
    for (; i < spec.length && spec[i] !== ':'; i++) {
      if (spec[i] === '\\') {
        if (++i >= spec.length) return undefined;
      } else if (spec[i] === '/') isPath = true;
      text += spec[i];
    }
    i++;
    fields.push({ text, isPath });
  }
  return fields.length > 4 || i < spec.length ? undefined : fields;
}

/** 0..65535, else -1 (a2port). */
function port(text: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) return -1;
  const n = Number(text);
  return n <= 65535 ? n : -1;
}

function layout(f: readonly Field[]): ForwardSpec | undefined {
  const [a, b, c, d] = f;
  switch (f.length) {
    case 1:
      return a.isPath ? { listenPath: a.text } : { listenPort: port(a.text) };
    case 2:
      if (a.isPath && b.isPath) return { listenPath: a.text, connectPath: b.text };
      if (b.isPath) return { listenPort: port(a.text), connectPath: b.text };
      return { listenHost: a.text, listenPort: port(b.text) };
    case 3:
      if (a.isPath) return { listenPath: a.text, connectHost: b.text, connectPort: port(c.text) };
      if (c.isPath) return { listenHost: a.text, listenPort: port(b.text), connectPath: c.text };
      return { listenPort: port(a.text), connectHost: b.text, connectPort: port(c.text) };
    case 4:
      return { listenHost: a.text, listenPort: port(b.text), connectHost: c.text, connectPort: port(d.text) };
    default:
      return undefined;
  }
}

function valid(fwd: ForwardSpec, n: number, dynamic: boolean, remote: boolean): boolean {
  if (dynamic) {
    if (n > 2 || fwd.connectPath !== undefined) return false;
  } else {
    if (n < 3 && fwd.connectPath === undefined && fwd.listenPath === undefined) return false;
    if ((fwd.connectPort === undefined || fwd.connectPort <= 0) && fwd.connectPath === undefined) return false;
  }
  if (fwd.listenPath === undefined && (fwd.listenPort === undefined || fwd.listenPort < 0)) return false;
  if (!remote && fwd.listenPort === 0) return false;
  if ((fwd.listenHost?.length ?? 0) > 1024 || (fwd.connectHost?.length ?? 0) > 1024) return false;
  return (fwd.listenPath?.length ?? 0) < 108 && (fwd.connectPath?.length ?? 0) < 108;
}

/**
 * Parses one forwarding spec; undefined when it is not valid for `kind`. A remote spec without a
 * destination is a remote dynamic (SOCKS) forward, as `ssh -R [addr:]port` is. A result without
 * connectHost or connectPath is dynamic.
 */
export function parseForwardSpec(spec: string, kind: ForwardKind): ForwardSpec | undefined {
  const fields = splitFields(spec.replace(/^\s+/, ''));
  if (!fields || fields.length === 0) return undefined;
  const fwd = layout(fields);
  if (!fwd) return undefined;
  const n = fields.length;
  const ok =
    kind === 'local'
      ? valid(fwd, n, false, false)
      : kind === 'dynamic'
        ? valid(fwd, n, true, false)
        : valid(fwd, n, false, true) || valid(fwd, n, true, true);
  return ok ? fwd : undefined;
}
