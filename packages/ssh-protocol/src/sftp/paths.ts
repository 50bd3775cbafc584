// draft-ietf-secsh-filexfer-02 §6.2 file names: relative to the home directory, "" is the home directory,
// "." and ".." as usual. Resolved lexically, and ".." stops at "/" so that no name climbs above the root.
import { FX } from './constants.js';
import { SftpStatusError } from './status-errors.js';

/** The absolute, normalised form of a client's path; `home` must itself be absolute. */
export function resolvePath(home: string, path: string): string {
  if (path.includes('\0')) throw new SftpStatusError(FX.BAD_MESSAGE, 'Bad message');
  const parts = path.startsWith('/') ? [] : splitPath(home);
  for (const name of path.split('/')) {
    if (name === '' || name === '.') continue;
    if (name === '..') parts.pop();
    else parts.push(name);
  }
  return `/${parts.join('/')}`;
}

/** The components of an absolute path, without empty ones. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((n) => n !== '' && n !== '.');
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}
