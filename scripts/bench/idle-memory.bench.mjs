// Memory per idle session: N sessions of `ssh host sleep 600` held open (OpenSSH's ssh as the client for both
// servers), then the memory of the processes serving them (each session's tsshd-session worker, or its per-connection
// sshd processes: the server's processes between the listener and the `sleep`) plus what the listener grew by,
// divided by N. tsshd's idle pre-started workers serve no session: they are left out and reported apart.
// RSS counts shared pages once per process; PSS divides them among the processes sharing them, the fairer sum.
import { spawn } from 'node:child_process';
import { clientCommand, descendants, printTable, processTable, progress, pssKiB, rssKiB, sleep, startServer } from './harness.mjs';

export const title = 'memory per idle session (MiB)';

const SETTLE_MS = 3000;
const BATCH = 5; // below MaxStartups' 10, so that no connection is dropped on the way in

const isServerProcess = (p) => p.comm === 'sshd' || p.comm === 'node';

/** The server's processes serving a session (ancestors of a `sleep`, below the listener) and those serving none. */
function serverProcesses(server) {
  const table = processTable();
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const own = descendants(server.pid, table).filter(isServerProcess);
  const serving = new Set();
  for (const p of table) {
    if (p.comm !== 'sleep') continue;
    for (let q = byPid.get(p.ppid); q && q.pid !== server.pid; q = byPid.get(q.ppid)) {
      if (isServerProcess(q)) serving.add(q.pid);
    }
  }
  return { serving: own.filter((p) => serving.has(p.pid)), idle: own.filter((p) => !serving.has(p.pid)) };
}

const sum = (procs, f) => procs.reduce((a, p) => a + f(p.pid), 0);

const sleepers = (server) => descendants(server.pid).filter((p) => p.comm === 'sleep').length;

async function waitFor(what, cond, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function measure(kind, sessions) {
  const server = await startServer(kind);
  const clients = [];
  try {
    await sleep(SETTLE_MS); // a tsshd pre-starts workers: let them be ready
    const listenerBefore = { rss: rssKiB(server.pid), pss: pssKiB(server.pid) };
    for (let i = 0; i < sessions; i += BATCH) {
      const n = Math.min(BATCH, sessions - i);
      for (let j = 0; j < n; j++) {
        const [file, args] = clientCommand('ssh', server, ['sleep 600']);
        const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => {
          if (!child.stopping) progress(`${kind}: a client exited early (${code}): ${err.trim()}`);
        });
        clients.push(child);
      }
      await waitFor(`${i + n} sessions on ${kind}`, () => sleepers(server) >= i + n);
    }
    await sleep(SETTLE_MS);
    const { serving, idle } = serverProcesses(server);
    const rss = sum(serving, rssKiB) + rssKiB(server.pid) - listenerBefore.rss;
    const pss = sum(serving, pssKiB) + pssKiB(server.pid) - listenerBefore.pss;
    progress(
      `${kind}: ${serving.length} serving processes, RSS ${rss} KiB, PSS ${pss} KiB (listener grew by ` +
        `${rssKiB(server.pid) - listenerBefore.rss} KiB RSS); ${idle.length} idle, RSS ${sum(idle, rssKiB)} KiB`,
    );
    return {
      rss: rss / sessions / 1024,
      pss: pss / sessions / 1024,
      processes: serving.length / sessions,
      idle: idle.length,
      idleRss: idle.length > 0 ? sum(idle, rssKiB) / idle.length / 1024 : 0,
    };
  } finally {
    // sshd leaves a command without a terminal running when its client goes (tsshd hangs it up): end ours by pid.
    const commands = descendants(server.pid).filter((p) => p.comm === 'sleep');
    for (const c of clients) {
      c.stopping = true;
      c.kill('SIGTERM');
    }
    for (const p of commands) {
      try {
        process.kill(p.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await server.stop();
  }
}

export async function run({ quick }) {
  const sessions = quick ? 10 : 50;
  const sshd = await measure('sshd', sessions);
  const tsshd = await measure('tsshd', sessions);
  printTable({
    title: `Memory per idle session (${sessions} sessions of \`sleep 600\`)`,
    unit: 'MiB',
    better: 'lower',
    note:
      `(memory of the processes serving the ${sessions} idle sessions + the listener's growth) / ${sessions}, ` +
      `after ${SETTLE_MS / 1000} s to settle;\n` +
      `"tssh" = tsshd (its tsshd-session workers), "openssh" = sshd (its per-connection sshd processes);\n` +
      `processes per session: tsshd ${tsshd.processes.toFixed(1)}, sshd ${sshd.processes.toFixed(1)}. Not counted: ` +
      `tsshd's ${tsshd.idle} idle pre-started workers, ${tsshd.idleRss.toFixed(1)} MiB RSS each.`,
    rows: [
      { name: 'RSS per session', tssh: tsshd.rss, openssh: sshd.rss },
      { name: 'PSS per session', tssh: tsshd.pss, openssh: sshd.pss },
    ],
  });
}
