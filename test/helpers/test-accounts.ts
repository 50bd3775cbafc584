// Throwaway system accounts for login tests: made with useradd (home in a temporary directory), a password set
// with chpasswd (hashed the system's way: yescrypt on Debian 12), removed with userdel -r. Root only.
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { run, tempDir } from './processes.js';

export interface TestAccount {
  name: string;
  uid: number;
  gid: number;
  home: string;
  password: string;
}

/** Why account tests cannot run here, or false. */
export const accountsSkip: string | false =
  typeof process.getuid === 'function' && process.getuid() === 0 ? false : 'creating test accounts needs root (useradd)';

async function must(file: string, args: string[], input?: string): Promise<string> {
  const r = await run(file, args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.toString();
}

/** A set of accounts sharing one temporary directory of homes; `removeAll` deletes them all. */
export class TestAccounts {
  private readonly dir = tempDir('tssh-homes-');
  private readonly made: TestAccount[] = [];

  constructor() {
    chmodSync(this.dir.path, 0o755);
  }

  async create(opts: { password?: string; shell?: string } = {}): Promise<TestAccount> {
    const name = `tssh-${randomBytes(4).toString('hex')}`;
    const home = join(this.dir.path, name);
    await must('useradd', ['-m', '-d', home, '-s', opts.shell ?? '/bin/bash', '-c', 'tssh test account', name]);
    const password = opts.password ?? `pw-${randomBytes(6).toString('hex')}`;
    const ids = (await must('id', ['-u', name])).trim();
    const gid = Number((await must('id', ['-g', name])).trim());
    const account = { name, uid: Number(ids), gid, home, password };
    this.made.push(account);
    await must('chpasswd', [], `${name}:${password}\n`);
    return account;
  }

  /** Writes ~/.ssh/authorized_keys as the user would have it (0700 / 0600, owned by the user). */
  authorizeKeys(account: TestAccount, lines: string[]): void {
    const dir = join(account.home, '.ssh');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'authorized_keys');
    writeFileSync(file, lines.map((l) => `${l.trim()}\n`).join(''), { mode: 0o600 });
    chmodSync(file, 0o600);
    chownSync(dir, account.uid, account.gid);
    chownSync(file, account.uid, account.gid);
  }

  async removeAll(): Promise<void> {
    for (const a of this.made.splice(0)) await run('userdel', ['-f', '-r', a.name]);
    this.dir.cleanup();
  }
}

/** A script for SSH_ASKPASS that answers every prompt with `password`. */
export function askpassScript(dir: string, password: string, name = 'askpass'): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' '${password.replace(/'/g, `'\\''`)}'\n`, { mode: 0o700 });
  return path;
}
