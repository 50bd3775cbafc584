// Where tsshd and its workers log: to syslog by default (SyslogFacility, the worker's lines through the listener's
// pipe, named by the worker), and as JSON records with structured fields with LogFormat json.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, peerBinary, run } from '../helpers/processes.js';
import { sshArgs, startTsshd } from '../helpers/servers.js';
import type { RunningServer } from '../helpers/servers.js';
import { pollFor } from '../helpers/poll.js';

const ssh = peerBinary('/usr/bin/ssh');
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : undefined;
const FAST_KEX = ['-o', 'KexAlgorithms=curve25519-sha256'];

const children: ChildProcess[] = [];
const servers: RunningServer[] = [];
const daemons: number[] = [];
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const pid of daemons) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // stopped by the test
    }
  }
  for (const s of servers) await s.stop();
});

async function waitFor(check: () => boolean, what: () => string, timeoutMs = 15_000): Promise<void> {
  await pollFor(what, check, { timeoutMs, intervalMs: 25 });
}

/** Datagrams received on a Unix socket, one per line (Python binds it: Node has no Unix datagram sockets). */
async function syslogReceiver(path: string): Promise<() => string> {
  const script = [
    'import socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    `s.bind(${JSON.stringify(path)})`,
    'print("ready", flush=True)',
    'while True:',
    '    sys.stdout.write(s.recv(65536).decode("utf-8", "replace").rstrip("\\n") + "\\n")',
    '    sys.stdout.flush()',
  ].join('\n');
  const child = spawn(python!, ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  await waitFor(() => text.startsWith('ready'), () => 'the syslog receiver');
  return () => text;
}

test('a daemon and its workers log to syslog with SyslogFacility; workers name themselves', { skip: ssh.skip || (python ? false : 'python3 is not installed'), timeout: 60_000 }, async () => {
  // A server set up by the helper (keys, config), its listener stopped at once: the same files serve a daemon.
  const files = await startTsshd({ config: ['SyslogFacility LOCAL3'] });
  servers.push(files); // removes the files at the end
  const stopped = new Promise((r) => files.process.once('exit', r));
  files.process.kill('SIGTERM');
  await stopped;
  const socket = join(files.dir, 'log.sock');
  const pidFile = join(files.dir, 'tsshd.pid');
  const received = await syslogReceiver(socket);
  const env = { ...process.env, TSSH_SYSLOG_SOCKET: socket };
  const started = await run(process.execPath, [BIN.tsshd, '-f', join(files.dir, 'sshd_config'), '-o', `PidFile=${pidFile}`], { env });
  assert.equal(started.code, 0, started.stderr);
  assert.equal(started.stderr, '', 'nothing on stderr');
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  daemons.push(pid);
  // LOCAL3.INFO is <158>.
  await waitFor(
    () => new RegExp(`<158>.*tsshd\\[${pid}\\]: Server listening on 127\\.0\\.0\\.1 port ${files.port}\\.`).test(received()),
    () => `the listening line in\n${received()}`,
  );
  const r = await run('ssh', [...sshArgs(files, FAST_KEX), 'echo logged']);
  assert.equal(r.stdout.toString(), 'logged\n', r.stderr);
  await waitFor(
    () => new RegExp(`<158>.*tsshd\\[${pid}\\]: tsshd-session\\[\\d+\\]: Accepted publickey for ${files.user} from 127\\.0\\.0\\.1`).test(received()),
    () => `the worker's line in\n${received()}`,
  );
  process.kill(pid, 'SIGTERM');
  await waitFor(() => /Received signal 15; terminating\./.test(received()), () => `the last line in\n${received()}`);
});

test('LogFormat json: one JSON record per line, with the structured fields', { skip: ssh.skip, timeout: 60_000 }, async () => {
  const s = await startTsshd({ config: ['LogFormat json', 'PidFile none'] });
  servers.push(s);
  const r = await run('ssh', [...sshArgs(s, FAST_KEX), 'true']);
  assert.equal(r.code, 0, r.stderr);
  await waitFor(() => /ended: exit code 0/.test(s.log()), () => `the worker's end in\n${s.log()}`);
  const records = s
    .log()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const accepted = records.find((x) => String(x.message).startsWith('Accepted publickey'));
  assert.ok(accepted);
  assert.deepEqual([accepted.program, accepted.level, accepted.user, accepted.method], ['tsshd-session', 'info', s.user, 'publickey']);
  const ended = records.find((x) => String(x.message).includes(' ended: '));
  assert.ok(ended);
  assert.deepEqual([ended.program, ended.pid, ended.cause, ended.authenticated, ended.code], ['tsshd', s.process.pid, 'normal', true, 0]);
  assert.equal(ended.worker, accepted.pid);
});
