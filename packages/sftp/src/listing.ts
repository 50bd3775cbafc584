// `ls` as OpenSSH's sftp prints it: names in columns sized to the widest (80 columns unless stdin is a terminal),
// or long lines (`-l`) laid out like its ls_file() for remote files ("?" for the link count, owner and group
// names from users-groups-by-id@openssh.com when the server has it), sorted by name, time or size.
import { lsDate, modeString, type SftpAttrs, type SftpClient } from '@tssh/ssh-protocol/sftp';
import type { LsFlags } from './commands.js';
import { isSessionLost } from './error-text.js';

export interface ListEntry {
  /** The text shown for the entry (already shortened relative to the working directory). */
  display: string;
  /** The bare file name (for sorting and hiding dot files). */
  name: string;
  attrs: SftpAttrs;
}

const SCALE = 'BKMGTPE';

/** fmt_scaled(3): "5B", "4.0K", "148K", "22.2G". */
export function formatScaled(bytes: number): string {
  let n = Math.max(0, Math.floor(bytes));
  let unit = 0;
  let fraction = 0;
  while (unit < SCALE.length - 1 && n >= 1024) {
    fraction = n % 1024;
    n = Math.floor(n / 1024);
    unit++;
  }
  // One decimal, rounded; a tenth that rounds up to 10 carries into the whole part.
  let tenth = Math.floor((10 * fraction + 512) / 1024);
  if (tenth >= 10) {
    n++;
    tenth = 0;
  }
  if (n === 0) return '0B';
  if (unit === 0 || n >= 100) return `${tenth >= 5 ? n + 1 : n}${SCALE[unit]}`;
  return `${n}.${tenth}${SCALE[unit]}`;
}

export interface Names {
  user(uid: number): string;
  group(gid: number): string;
}

/** Names for the owners of `entries`: from the server when it can tell, else the numbers. */
export async function ownerNames(client: SftpClient, entries: readonly SftpAttrs[], numeric: boolean): Promise<Names> {
  const numbers: Names = { user: (u) => String(u), group: (g) => String(g) };
  if (numeric || !client.supports('users-groups-by-id@openssh.com')) return numbers;
  const uids = [...new Set(entries.flatMap((a) => (a.owner ? [a.owner.uid] : [])))];
  const gids = [...new Set(entries.flatMap((a) => (a.owner ? [a.owner.gid] : [])))];
  if (uids.length === 0 && gids.length === 0) return numbers;
  try {
    const r = await client.usersGroupsById(uids, gids);
    const users = new Map(uids.map((u, i) => [u, r.users[i] || String(u)]));
    const groups = new Map(gids.map((g, i) => [g, r.groups[i] || String(g)]));
    return { user: (u) => users.get(u) ?? String(u), group: (g) => groups.get(g) ?? String(g) };
  } catch (e) {
    if (isSessionLost(e)) throw e;
    return numbers;
  }
}

/** One `ls -l` line; `now` in seconds. */
export function longLine(e: ListEntry, names: Names, human: boolean, now: number): string {
  const a = e.attrs;
  const mode = a.permissions !== undefined ? modeString(a.permissions) : '?---------';
  const user = a.owner ? names.user(a.owner.uid) : '?';
  const group = a.owner ? names.group(a.owner.gid) : '?';
  const size = a.size === undefined ? '?' : human ? formatScaled(a.size) : String(a.size);
  const date = lsDate(a.times?.mtime ?? 0, now);
  return `${mode}    ? ${user.padEnd(8)} ${group.padEnd(8)} ${size.padStart(8)} ${date} ${e.display}`;
}

/** Sorts in place by the -S, -t, -f and -r flags (name order by default, newest and largest first). */
export function sortEntries(entries: ListEntry[], flags: LsFlags): void {
  if (flags.sort === 'none') return;
  const sign = flags.reverse ? -1 : 1;
  const desc = (x: number, y: number): number => (x === y ? 0 : x < y ? 1 : -1);
  entries.sort((p, q) => {
    if (flags.sort === 'time') return sign * desc(p.attrs.times?.mtime ?? 0, q.attrs.times?.mtime ?? 0);
    if (flags.sort === 'size') return sign * desc(p.attrs.size ?? 0, q.attrs.size ?? 0);
    return sign * (p.name < q.name ? -1 : p.name > q.name ? 1 : 0);
  });
}

/**
 * Short listing in columns: each entry padded to `width / columns`, where columns is how many of the widest
 * (`widest` + 2) fit. With -1, one name per line.
 */
export function columnLines(displays: readonly string[], widest: number, width: number, single: boolean): string[] {
  if (single) return [...displays];
  const columns = Math.max(1, Math.floor(width / (widest + 2)));
  const space = Math.min(Math.floor(width / columns), width);
  const lines: string[] = [];
  for (let i = 0; i < displays.length; i += columns) {
    lines.push(displays.slice(i, i + columns).map((d) => padDisplay(d, space)).join(''));
  }
  return lines;
}

/** printf("%-*s"): pads to `n` bytes of UTF-8, as sftp's printf does (never truncates). */
function padDisplay(text: string, n: number): string {
  const len = Buffer.byteLength(text);
  return len >= n ? text : text + ' '.repeat(n - len);
}
