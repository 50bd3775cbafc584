// The `df` command over statvfs@openssh.com (OpenSSH PROTOCOL §4.4), in the three layouts of OpenSSH's sftp:
// 1K blocks, -h scaled sizes, -i inodes.
import type { StatVfs } from '@tssh/ssh-protocol/sftp';
import { errorText, isSessionLost } from './error-text.js';
import { formatScaled } from './listing.js';
import { makeAbsolute } from './remote-path.js';
import type { SessionState } from './session-state.js';

function capacity(total: bigint, free: bigint): string {
  if (total === 0n) return 'ERR';
  return `${String((100n * (total - free)) / total).padStart(3)}%`;
}

export function dfLines(st: StatVfs, human: boolean, inodes: boolean): string[] {
  if (inodes) {
    const cols = [st.files, st.files - st.ffree, st.favail, st.ffree].map((n) => String(n).padStart(11));
    return ['     Inodes        Used       Avail      (root)    %Capacity', `${cols.join(' ')}         ${capacity(st.files, st.ffree)}`];
  }
  const blocks = [st.blocks, st.blocks - st.bfree, st.bavail, st.bfree];
  if (human) {
    const cols = blocks.map((n) => `${formatScaled(Number(n * st.frsize)).padStart(7)}B`);
    return ['    Size     Used    Avail   (root)    %Capacity', `${cols.join(' ')}         ${capacity(st.blocks, st.bfree)}`];
  }
  const cols = blocks.map((n) => String((n * st.frsize) / 1024n).padStart(12));
  return ['        Size         Used        Avail       (root)    %Capacity', `${cols.join(' ')}         ${capacity(st.blocks, st.bfree)}`];
}

export async function dfCommand(s: SessionState, path: string | undefined, human: boolean, inodes: boolean): Promise<boolean> {
  if (!s.client.supports('statvfs@openssh.com', '2')) {
    s.error('Server does not support statvfs@openssh.com extension');
    return false;
  }
  const abs = makeAbsolute(path ?? s.cwd, s.cwd);
  let st: StatVfs;
  try {
    st = await s.client.statvfs(abs);
  } catch (e) {
    if (isSessionLost(e)) throw e;
    s.error(`Couldn't statvfs: ${errorText(e)}`);
    return false;
  }
  for (const line of dfLines(st, human, inodes)) s.print(line);
  return true;
}
