// `make install` / `make uninstall` into a staging tree: the layout, production dependencies only, configuration
// files that are never overwritten, host keys, units that systemd-analyze accepts, and an uninstall that keeps
// host keys and edited configuration. Make runs with `-o build`: the tests run on what was built already.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, readlinkSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, run, tempDir } from '../helpers/processes.js';

const tmp = tempDir('tssh-install-');
after(() => tmp.cleanup());

function make(args: string[]) {
  return run('make', ['-s', '-C', REPO, '-o', 'build', ...args], { timeoutMs: 120_000 });
}

function systemdAnalyze(): string | undefined {
  for (const p of ['/usr/bin/systemd-analyze', '/bin/systemd-analyze']) if (existsSync(p)) return p;
  return undefined;
}

const UNITS = ['tsshd.service', 'tsshd-listener.socket', 'tsshd.socket', 'tsshd-session@.service'];

test('make install DESTDIR=... lays out programs, dependencies, configs, host keys and units; uninstall reverses it', async () => {
  const dest = join(tmp.path, 'stage');
  const r = await make(['install', `DESTDIR=${dest}`, 'INSTALL_HOST_KEYS=yes']);
  assert.equal(r.code, 0, r.stderr);
  const lib = join(dest, 'usr/local/lib/tssh');
  for (const [name, target] of [
    ['tsshd', 'packages/sshd/bin/tsshd.js'],
    ['tsshd-session', 'packages/sshd/bin/tsshd-session.js'],
    ['tssh', 'packages/ssh/bin/tssh.js'],
    ['tssh-keygen', 'packages/keygen/bin/tssh-keygen.js'],
    ['tsftp', 'packages/sftp/bin/tsftp.js'],
    ['tscp', 'packages/sftp/bin/tscp.js'],
  ]) {
    const link = join(dest, 'usr/local/bin', name);
    assert.equal(readlinkSync(link), `/usr/local/lib/tssh/${target}`, name);
    assert.ok(existsSync(join(lib, target)), target);
  }
  for (const p of ['ssh-protocol', 'keygen', 'ssh', 'sshd', 'sftp']) assert.ok(existsSync(join(lib, 'packages', p, 'dist')), p);
  const modules = readdirSync(join(lib, 'node_modules'));
  for (const dep of ['winston', 'yargs', '@noble', '@tssh']) assert.ok(modules.includes(dep), dep);
  for (const dev of ['typescript', '@typescript']) assert.ok(!modules.includes(dev), `${dev} is a dev dependency`);
  assert.ok(lstatSync(join(lib, 'node_modules/@tssh/sshd')).isSymbolicLink());

  const etc = join(dest, 'etc/tssh');
  for (const f of ['sshd_config', 'ssh_config']) assert.equal(readFileSync(join(etc, f), 'utf8'), readFileSync(join(REPO, 'etc', f), 'utf8'));
  for (const t of ['rsa', 'ecdsa', 'ed25519']) assert.ok(existsSync(join(etc, `ssh_host_${t}_key`)), t);
  const units = join(dest, 'usr/local/lib/systemd/system');
  for (const u of UNITS) assert.ok(existsSync(join(units, u)), u);
  assert.equal(readlinkSync(join(units, 'tsshd@.service')), 'tsshd-session@.service');
  assert.match(readFileSync(join(units, 'tsshd.service'), 'utf8'), /^KillMode=process$/m);
  assert.match(readFileSync(join(dest, 'usr/local/share/tssh/xinetd.d/tsshd'), 'utf8'), /server\s+= \/usr\/local\/bin\/tsshd-session/);
  assert.match(readFileSync(join(dest, 'usr/local/share/tssh/inetd.conf'), 'utf8'), /^ssh\s+stream\s+tcp\s+nowait\s+root\s+\/usr\/local\/bin\/tsshd-session\s+tsshd-session -i$/m);

  // The installed tree runs on its own dependencies.
  const check = await run(process.execPath, [join(lib, 'packages/sshd/bin/tsshd.js'), '-T', '-f', join(etc, 'sshd_config')]);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout.toString(), /^persourcepenalties crash:90s /m);
  for (const program of ['sftp/bin/tsftp.js', 'sftp/bin/tscp.js']) {
    const help = await run(process.execPath, [join(lib, 'packages', program), '--help']);
    assert.equal(help.code, 0, `${program}: ${help.stderr}`);
    assert.match(help.stdout.toString(), /^usage: ts(ftp|cp) /);
  }

  // A second install keeps an edited configuration and the host keys.
  const edited = `${readFileSync(join(etc, 'sshd_config'), 'utf8')}Port 2200\n`;
  writeFileSync(join(etc, 'sshd_config'), edited);
  const key = readFileSync(join(etc, 'ssh_host_ed25519_key'), 'utf8');
  assert.equal((await make(['install', `DESTDIR=${dest}`, 'INSTALL_HOST_KEYS=yes'])).code, 0);
  assert.equal(readFileSync(join(etc, 'sshd_config'), 'utf8'), edited);
  assert.equal(readFileSync(join(etc, 'ssh_host_ed25519_key'), 'utf8'), key);

  const u = await make(['uninstall', `DESTDIR=${dest}`]);
  assert.equal(u.code, 0, u.stderr);
  assert.deepEqual(readdirSync(join(dest, 'usr/local/bin')), []);
  assert.ok(!existsSync(lib));
  assert.ok(!existsSync(join(dest, 'usr/local/share/tssh')));
  assert.deepEqual(readdirSync(units), []);
  assert.deepEqual(readdirSync(etc).sort(), [
    'ssh_host_ecdsa_key',
    'ssh_host_ecdsa_key.pub',
    'ssh_host_ed25519_key',
    'ssh_host_ed25519_key.pub',
    'ssh_host_rsa_key',
    'ssh_host_rsa_key.pub',
    'sshd_config',
  ]);
});

test('the installed systemd units pass systemd-analyze verify', { skip: systemdAnalyze() ? false : 'systemd-analyze is not installed' }, async () => {
  // Installed under a real prefix (no DESTDIR), so that the programs the units name exist where they say.
  const root = join(tmp.path, 'root');
  const r = await make(['install', `PREFIX=${root}/usr`, `SYSCONFDIR=${root}/etc/tssh`, 'INSTALL_HOST_KEYS=no']);
  assert.equal(r.code, 0, r.stderr);
  const units = join(root, 'usr/lib/systemd/system');
  assert.match(readFileSync(join(units, 'tsshd.service'), 'utf8'), new RegExp(`^ExecStart=${root}/usr/bin/tsshd -D$`, 'm'));
  const v = await run(systemdAnalyze()!, ['verify', ...UNITS.map((u) => join(units, u))]);
  assert.equal(v.code, 0, `${v.stdout.toString()}${v.stderr}`);
  assert.equal(v.stderr, '');
});
