// What sshd shows before an interactive shell on a terminal (session.c do_login): the last login (PrintLastLog)
// and the message of the day (PrintMotd), unless the user has a ~/.hushlogin. Lines end in CR LF, as they would
// leave a terminal with ONLCR.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Account } from './accounts.js';
import type { LastLogin } from './lastlog.js';

export const MOTD_PATH = '/etc/motd';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime(3) without its newline, local time: "Mon Nov 24 13:08:00 2025". */
export function ctimeText(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${time} ${d.getFullYear()}`;
}

export interface LoginMessageOptions {
  account: Account;
  printMotd: boolean;
  printLastLog: boolean;
  lastLogin: LastLogin | undefined;
  motdPath?: string;
}

export function loginMessages(o: LoginMessageOptions): string {
  if (existsSync(join(o.account.home, '.hushlogin'))) return '';
  let text = '';
  if (o.printLastLog && o.lastLogin) {
    const from = o.lastLogin.host ? ` from ${o.lastLogin.host}` : '';
    text += `Last login: ${ctimeText(o.lastLogin.time)}${from}\n`;
  }
  if (o.printMotd) {
    try {
      text += readFileSync(o.motdPath ?? MOTD_PATH, 'utf8');
    } catch {
      // No motd on this system.
    }
  }
  return text.replace(/\r?\n/g, '\r\n');
}
