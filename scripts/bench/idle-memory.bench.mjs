// Memory per idle session: N sessions of `ssh host sleep 600` held open (OpenSSH's ssh as the client for both
// servers), then the memory of the server's processes (listener, workers or per-connection sshd processes, not
// the users' commands) minus what they used before, divided by N. RSS counts shared pages once per process; PSS
// divides them among the processes sharing them, so it is the fairer sum.
import { spawn } from 'node:child_process';
import { clientCommand, descendants, printTable, processTable, progress, pssKiB, rssKiB, sleep, startServer } from './harness.mjs';

export const title = 'memory per idle session (MiB)';

const SETTLE_MS = 3000;
const BATCH = 5; // below MaxStartups' 10, so that no connection is dropped on the way in

/** The server's own processes: the listener and every descendant that is not a user's command. */
function serving(server, table = processTable()) {
  return [{ pid: server.pid }, ...descendants(server.pid, table).filter((p) => p.comm === 'sshd' || p.comm === 'node')];
}

function memory(server) {
  const procs = serving(server);
  return {
    count: procs.length,
    rss: procs.reduce((a, p) => a + rssKiB(p.pid), 0),
    pss: procs.reduce((a, p) => a + pssKiB(p.pid), 0),
  };
}

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
    await sleep(SETTLE_MS); // a tsshd pre-starts workers: let them be ready in the baseline
    const before = memory(server);
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
    const after = memory(server);
    progress(`${kind}: ${before.count} -> ${after.count} processes, RSS ${before.rss} -> ${after.rss} KiB, PSS ${before.pss} -> ${after.pss} KiB`);
    return {
      rss: (after.rss - before.rss) / sessions / 1024,
      pss: (after.pss - before.pss) / sessions / 1024,
      processes: (after.count - before.count) / sessions,
    };
  } finally {
    for (const c of clients) {
      c.stopping = true;
      c.kill('SIGTERM');
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
      `(server processes' memory with ${sessions} idle sessions - before them) / ${sessions}, after ${SETTLE_MS / 1000} s to settle;\n` +
      `"tssh" = tsshd (listener + tsshd-session workers), "openssh" = sshd (listener + per-connection sshd);\n` +
      `server processes per session: tsshd ${tsshd.processes.toFixed(1)}, sshd ${sshd.processes.toFixed(1)}.`,
    rows: [
      { name: 'RSS per session', tssh: tsshd.rss, openssh: sshd.rss },
      { name: 'PSS per session', tssh: tsshd.pss, openssh: sshd.pss },
    ],
  });
}
