// The local terminal's modes for pty-req (RFC 4254 §8), as ssh sends them from tcgetattr(3). Node has no
// termios, so they are read from `stty -a` on stdin: its words are the POSIX names of the same settings
// (`intr = ^C;`, `-parenb`, `icanon`, `speed 38400 baud;`) on Linux (GNU coreutils) and BSD alike, where
// `stty -g` would be a system-specific dump of the termios bits. A terminal stty cannot read sends no modes.
import { spawnSync } from 'node:child_process';
import { TerminalMode as M } from '@tssh/ssh-protocol/connection';

const CHARACTERS: ReadonlyMap<string, number> = new Map([
  ['intr', M.VINTR], ['quit', M.VQUIT], ['erase', M.VERASE], ['kill', M.VKILL], ['eof', M.VEOF],
  ['eol', M.VEOL], ['eol2', M.VEOL2], ['start', M.VSTART], ['stop', M.VSTOP], ['susp', M.VSUSP],
  ['dsusp', M.VDSUSP], ['rprnt', M.VREPRINT], ['reprint', M.VREPRINT], ['werase', M.VWERASE],
  ['lnext', M.VLNEXT], ['status', M.VSTATUS], ['discard', M.VDISCARD],
]);

const FLAGS: ReadonlyMap<string, number> = new Map([
  ['ignpar', M.IGNPAR], ['parmrk', M.PARMRK], ['inpck', M.INPCK], ['istrip', M.ISTRIP], ['inlcr', M.INLCR],
  ['igncr', M.IGNCR], ['icrnl', M.ICRNL], ['iuclc', M.IUCLC], ['ixon', M.IXON], ['ixany', M.IXANY],
  ['ixoff', M.IXOFF], ['imaxbel', M.IMAXBEL], ['iutf8', M.IUTF8], ['isig', M.ISIG], ['icanon', M.ICANON],
  ['xcase', M.XCASE], ['echo', M.ECHO], ['echoe', M.ECHOE], ['echok', M.ECHOK], ['echonl', M.ECHONL],
  ['noflsh', M.NOFLSH], ['tostop', M.TOSTOP], ['iexten', M.IEXTEN], ['echoctl', M.ECHOCTL],
  ['echoke', M.ECHOKE], ['pendin', M.PENDIN], ['opost', M.OPOST], ['olcuc', M.OLCUC], ['onlcr', M.ONLCR],
  ['ocrnl', M.OCRNL], ['onocr', M.ONOCR], ['onlret', M.ONLRET], ['parenb', M.PARENB], ['parodd', M.PARODD],
]);

/** RFC 4254 §8: a character that is switched off is sent as 255. */
const DISABLED = 255;

/** stty's notation for a control character: `^C`, `^?`, `M-a`, `M-^C`, `<undef>`, `undef` or the character itself. */
export function parseSttyCharacter(text: string): number | undefined {
  if (text === '<undef>' || text === 'undef') return DISABLED;
  let meta = 0;
  let rest = text;
  if (rest.startsWith('M-') && rest.length > 2) {
    meta = 0x80;
    rest = rest.slice(2);
  }
  if (rest === '^?') return meta | 0x7f;
  if (rest.length === 2 && rest[0] === '^') {
    const c = rest.charCodeAt(1);
    if (c >= 0x40 && c < 0x80) return meta | (c & 0x1f);
    return undefined;
  }
  if (rest.length === 1 && rest.charCodeAt(0) < 0x80) return meta | rest.charCodeAt(0);
  return undefined;
}

/** Encoded-mode pairs from `stty -a` output, in a fixed order: characters, flags, character size, speeds. */
export function parseSttyAll(text: string): Array<[opcode: number, value: number]> {
  const chars = new Map<number, number>();
  const flags = new Map<number, number>();
  let csize: string | undefined;
  let ispeed: number | undefined;
  let ospeed: number | undefined;

  // `name = value;` pairs (control characters, min, time, line).
  for (const m of text.matchAll(/(?:^|[\s;])([a-z0-9]+) = (\S+?);?(?=\s|$)/g)) {
    const op = CHARACTERS.get(m[1]);
    const value = op === undefined ? undefined : parseSttyCharacter(m[2]);
    if (op !== undefined && value !== undefined) chars.set(op, value);
  }
  // Speeds: `speed 38400 baud;` or, when they differ, `ispeed 9600 baud; ospeed 38400 baud;`.
  for (const m of text.matchAll(/(?:^|[\s;])(speed|ispeed|ospeed) (\d+) baud/g)) {
    const v = Number(m[2]);
    if (m[1] !== 'ospeed') ispeed = v;
    if (m[1] !== 'ispeed') ospeed = v;
  }
  // Words standing alone: flags, with `-` for off, and the character size.
  for (const word of text.split(/[\s;]+/)) {
    if (/^cs[5-8]$/.test(word)) csize = word;
    const off = word.startsWith('-');
    const op = FLAGS.get(off ? word.slice(1) : word);
    if (op !== undefined) flags.set(op, off ? 0 : 1);
  }

  const out: Array<[number, number]> = [...chars, ...flags];
  if (csize !== undefined) out.push([M.CS7, csize === 'cs7' ? 1 : 0], [M.CS8, csize === 'cs8' ? 1 : 0]);
  if (ispeed !== undefined) out.push([M.TTY_OP_ISPEED, ispeed]);
  if (ospeed !== undefined) out.push([M.TTY_OP_OSPEED, ospeed]);
  return out;
}

/** The modes of the terminal on stdin; empty when stdin is no terminal or stty fails. */
export function localTerminalModes(): Array<[opcode: number, value: number]> {
  if (!process.stdin.isTTY) return [];
  const r = spawnSync('stty', ['-a'], { stdio: ['inherit', 'pipe', 'ignore'], encoding: 'utf8', timeout: 5000 });
  if (r.status !== 0 || typeof r.stdout !== 'string') return [];
  return parseSttyAll(r.stdout);
}
