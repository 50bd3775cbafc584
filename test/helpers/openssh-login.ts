// OpenSSH ssh command lines for login tests against a test server: any user, passwords through SSH_ASKPASS
// (ssh reads passwords only from a terminal or an askpass program), and waiting for the server's log.
import { join } from 'node:path';
import type { RunningServer } from './servers.js';

/** ssh options for `user` on the server; `extra` comes first so that it wins over the defaults here. */
export function sshLogin(server: RunningServer, user: string, extra: string[] = []): string[] {
  return [
    '-F', '/dev/null',
    ...extra,
    '-o', 'StrictHostKeyChecking=no',
    '-o', `UserKnownHostsFile=${join(server.dir, 'known_hosts')}`,
    '-o', 'LogLevel=ERROR',
    '-p', String(server.port),
    `${user}@127.0.0.1`,
  ];
}

/** Options for one password-only attempt (or `prompts` of them) answered by an askpass program. */
export function passwordOptions(method: 'password' | 'keyboard-interactive', prompts = 1): string[] {
  return [
    '-o', 'BatchMode=no',
    '-o', `PreferredAuthentications=${method}`,
    '-o', 'PubkeyAuthentication=no',
    '-o', `NumberOfPasswordPrompts=${prompts}`,
  ];
}

/** Environment that makes ssh ask `askpass` (never a terminal) for passwords. */
export function askpassEnv(askpass: string): NodeJS.ProcessEnv {
  return { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' };
}

/** Waits until the server's log matches (workers log a little after the client has gone). */
export async function waitForLog(server: RunningServer, pattern: RegExp, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pattern.test(server.log())) {
    if (Date.now() > until) throw new Error(`server log never matched ${pattern}:\n${server.log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Escapes text for a RegExp. */
export function re(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
