// The `longname` of SSH_FXP_NAME (draft-ietf-secsh-filexfer-02 §7): an `ls -l` line laid out like OpenSSH's
// ls_file(): strmode, link count, owner, group, size, date ("Mon DD HH:MM" within six months, else "Mon DD  YYYY").
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from './constants.js';
import type { SftpStats } from './file-system.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HALF_YEAR = (365 * 24 * 60 * 60) / 2;

function typeChar(mode: number): string {
  switch (mode & S_IFMT) {
    case S_IFDIR:
      return 'd';
    case S_IFREG:
      return '-';
    case S_IFLNK:
      return 'l';
    case S_IFCHR:
      return 'c';
    case S_IFBLK:
      return 'b';
    case S_IFIFO:
      return 'p';
    case S_IFSOCK:
      return 's';
    default:
      return '?';
  }
}

/** rwx for one class; `special` is setuid/setgid/sticky, shown in the x position as `on`/`off`. */
function triad(bits: number, special: boolean, on: string, off: string): string {
  const x = bits & 1 ? (special ? on : 'x') : special ? off : '-';
  return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${x}`;
}

/** strmode(3) without its trailing space: e.g. `drwxr-sr-t`. */
export function modeString(mode: number): string {
  return (
    typeChar(mode) +
    triad((mode >> 6) & 7, (mode & 0o4000) !== 0, 's', 'S') +
    triad((mode >> 3) & 7, (mode & 0o2000) !== 0, 's', 'S') +
    triad(mode & 7, (mode & 0o1000) !== 0, 't', 'T')
  );
}

/** strftime "%b %e %H:%M" or "%b %e  %Y" in local time. */
export function lsDate(mtime: number, now: number): string {
  const d = new Date(mtime * 1000);
  const day = String(d.getDate()).padStart(2, ' ');
  const tail =
    now - mtime < HALF_YEAR
      ? `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
      : ` ${d.getFullYear()}`;
  return `${MONTHS[d.getMonth()]} ${day} ${tail}`;
}

/** `now` is in seconds since the epoch; `owner` and `group` are names, or ids when no name is known. */
export function longName(name: string, st: SftpStats, owner: string, group: string, now: number): string {
  const links = String(st.nlink).padStart(3, ' ');
  const size = String(st.size).padStart(8, ' ');
  const who = `${owner.padEnd(8, ' ')} ${group.padEnd(8, ' ')}`;
  return `${modeString(st.mode)}  ${links} ${who} ${size} ${lsDate(st.mtime, now)} ${name}`;
}
