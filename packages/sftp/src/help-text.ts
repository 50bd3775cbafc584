// The `help` text: every command tsftp takes, laid out like OpenSSH sftp's.

const COMMANDS: ReadonlyArray<[string, string]> = [
  ['bye', 'Quit sftp'],
  ['cd path', "Change remote directory to 'path'"],
  ['chgrp grp path', "Change group of file 'path' to 'grp'"],
  ['chmod mode path', "Change permissions of file 'path' to 'mode'"],
  ['chown own path', "Change owner of file 'path' to 'own'"],
  ['copy oldpath newpath', 'Copy remote file'],
  ['cp oldpath newpath', 'Copy remote file'],
  ['df [-hi] [path]', 'Display statistics for current directory or\nfilesystem containing \'path\''],
  ['exit', 'Quit sftp'],
  ['get [-afpR] remote [local]', 'Download file'],
  ['help', 'Display this help text'],
  ['lcd path', "Change local directory to 'path'"],
  ['lls [ls-options [path]]', 'Display local directory listing'],
  ['lmkdir path', 'Create local directory'],
  ['ln [-s] oldpath newpath', 'Link remote file (-s for symlink)'],
  ['lpwd', 'Print local working directory'],
  ['ls [-1afhlnrSt] [path]', 'Display remote directory listing'],
  ['mkdir path', 'Create remote directory'],
  ['progress', 'Toggle display of progress meter'],
  ['put [-afpR] local [remote]', 'Upload file'],
  ['pwd', 'Display remote working directory'],
  ['quit', 'Quit sftp'],
  ['reget [-fpR] remote [local]', 'Resume download file'],
  ['rename [-l] oldpath newpath', 'Rename remote file'],
  ['reput [-fpR] local [remote]', 'Resume upload file'],
  ['rm path', 'Delete remote file'],
  ['rmdir path', 'Remove remote directory'],
  ['symlink oldpath newpath', 'Symlink remote file'],
  ['version', 'Show SFTP version'],
  ['!command', "Execute 'command' in local shell"],
  ['!', 'Escape to local shell'],
  ['?', 'Synonym for help'],
];

const COLUMN = 35;

export function helpText(): string {
  const lines = ['Available commands:'];
  for (const [usage, what] of COMMANDS) {
    const [first, ...more] = what.split('\n');
    lines.push(`${usage.padEnd(COLUMN)}${first}`);
    for (const m of more) lines.push(`${' '.repeat(COLUMN)}${m}`);
  }
  return lines.join('\n');
}
