// tsftp on a real terminal against tsshd: tssh's host key question for an unknown host, the `sftp> ` prompt,
// "Fetching" and "Uploading" lines with a progress meter (shown on a terminal only), and `bye`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pty from 'node-pty';
import { tempDir } from '../helpers/processes.js';
import { startTsshd, type RunningServer } from '../helpers/servers.js';
import { TSFTP } from '../helpers/tsftp-runs.js';

const tmp = tempDir('tsftp-pty-');
let server: RunningServer;
const children: pty.IPty[] = [];

before(async () => {
  server = await startTsshd({ config: ['Subsystem sftp internal-sftp'] });
});
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await server?.stop();
  tmp.cleanup();
});

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

class Terminal {
  output = '';
  readonly exited: Promise<number>;
  private readonly term: pty.IPty;

  constructor(args: string[], cwd: string) {
    this.term = pty.spawn(process.execPath, [TSFTP, ...args], {
      name: 'xterm',
      cols: 100,
      rows: 30,
      cwd,
      env: { ...process.env, HOME: tmp.path, TERM: 'xterm' } as Record<string, string>,
    });
    children.push(this.term);
    this.term.onData((d) => (this.output += d));
    this.exited = new Promise((resolve) => this.term.onExit(({ exitCode }) => resolve(exitCode)));
  }

  async waitFor(pattern: RegExp | string, from = 0): Promise<void> {
    const deadline = Date.now() + 20_000;
    const seen = (): boolean => (typeof pattern === 'string' ? this.output.indexOf(pattern, from) >= 0 : pattern.test(this.output.slice(from)));
    while (!seen()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  type(text: string): void {
    this.term.write(text);
  }
}

test('unknown host asked about on the terminal, then the prompt, transfers with a progress meter, bye', async () => {
  const local = join(tmp.path, 'local');
  const remote = join(tmp.path, 'remote');
  mkdirSync(local);
  mkdirSync(remote);
  const down = randomBytes(4 * 1024 * 1024 + 1);
  const up = randomBytes(2 * 1024 * 1024 + 3);
  writeFileSync(join(remote, 'down.bin'), down);
  writeFileSync(join(local, 'up.bin'), up);
  const knownHosts = join(tmp.path, 'known_hosts');
  const t = new Terminal(
    ['-F', '/dev/null', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=ask', '-i', server.userKey.privateKey, '-P', String(server.port), `${server.user}@127.0.0.1:${remote}`],
    local,
  );
  await t.waitFor('Are you sure you want to continue connecting (yes/no)? ');
  assert.match(t.output, /ED25519 key fingerprint is SHA256:/);
  t.type('yes\r');
  await t.waitFor(/Warning: Permanently added '\[127\.0\.0\.1\]:\d+' \(ED25519\) to the list of known hosts\./);
  await t.waitFor('Connected to 127.0.0.1.');
  await t.waitFor(`Changing to: ${remote}`);
  await t.waitFor('sftp> ');
  assert.match(readFileSync(knownHosts, 'utf8'), /^\[127\.0\.0\.1\]:\d+ ssh-ed25519 /);

  let mark = t.output.length;
  t.type('get down.bin\r');
  await t.waitFor(`Fetching ${remote}/down.bin to down.bin`, mark);
  await t.waitFor(/down\.bin +100% +4096KB +[\d.]+[KMG]B\/s +\d\d:\d\d/, mark);
  await t.waitFor('sftp> ', mark + 10);
  assert.equal(sha(readFileSync(join(local, 'down.bin'))), sha(down));

  mark = t.output.length;
  t.type('put up.bin\r');
  await t.waitFor(`Uploading up.bin to ${remote}/up.bin`, mark);
  await t.waitFor(/up\.bin +100% +2048KB /, mark);
  await t.waitFor('sftp> ', mark + 10);
  assert.equal(sha(readFileSync(join(remote, 'up.bin'))), sha(up));

  mark = t.output.length;
  t.type('progress\r');
  await t.waitFor('Progress meter disabled', mark);
  t.type('get down.bin again.bin\r');
  await t.waitFor('Fetching', mark);
  await t.waitFor('sftp> ', t.output.indexOf('Fetching', mark));
  assert.doesNotMatch(t.output.slice(t.output.indexOf('Fetching', mark)), /100%/);

  t.type('bye\r');
  assert.equal(await t.exited, 0);
});

test('^C during a download interrupts it: "Interrupt", the prompt again, the part that arrived kept', async () => {
  const local = join(tmp.path, 'int-local');
  const remote = join(tmp.path, 'int-remote');
  mkdirSync(local);
  mkdirSync(remote);
  const size = 1024 * 1024 * 1024;
  writeFileSync(join(remote, 'huge.bin'), '');
  truncateSync(join(remote, 'huge.bin'), size); // sparse: quick to make, slow enough to send
  const knownHosts = join(tmp.path, 'int_known_hosts');
  const t = new Terminal(
    ['-F', '/dev/null', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=accept-new', '-i', server.userKey.privateKey, '-P', String(server.port), `${server.user}@127.0.0.1:${remote}`],
    local,
  );
  await t.waitFor('sftp> ');
  const mark = t.output.length;
  t.type('get huge.bin\r');
  await t.waitFor(/huge\.bin +\d+% /, mark);
  t.type('\x03');
  await t.waitFor('Interrupt', mark);
  await t.waitFor('sftp> ', t.output.indexOf('Interrupt', mark));
  const kept = statSync(join(local, 'huge.bin')).size;
  assert.ok(kept < size, `${kept} bytes kept`);
  t.type('pwd\r');
  await t.waitFor(`Remote working directory: ${remote}`, mark);
  t.type('bye\r');
  assert.equal(await t.exited, 0);
});
