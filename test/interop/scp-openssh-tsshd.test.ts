// OpenSSH's scp against tsshd, in both of its modes: the default, over SFTP (our internal-sftp), and the legacy
// protocol (-O), where scp runs `scp -t` / `scp -f` through exec on our server. Files up and down with -p (modes
// and times), directories with -r, contents checked by SHA-256.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peerBinary, tempDir } from '../helpers/processes.js';
import { startTsshd, type RunningServer } from '../helpers/servers.js';
import { scpRun } from '../helpers/tsftp-runs.js';

const scp = peerBinary('/usr/bin/scp');
const tmp = tempDir('scp-tsshd-');
let server: RunningServer;

before(async () => {
  server = await startTsshd({ config: ['Subsystem sftp internal-sftp'] });
});
after(async () => {
  await server?.stop();
  tmp.cleanup();
});

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const OLD = 1_100_000_000;
const NAME = 'file with spaces ü.bin';

for (const mode of ['sftp', 'legacy'] as const) {
  test(`scp ${mode === 'legacy' ? '-O ' : ''}to tsshd: a file each way with -p, a tree with -r`, { skip: scp.skip }, async () => {
    const flags = mode === 'legacy' ? ['-O'] : [];
    const local = join(tmp.path, mode, 'local');
    const remote = join(tmp.path, mode, 'remote');
    mkdirSync(join(local, 'tree/sub'), { recursive: true });
    mkdirSync(remote, { recursive: true });
    const data = randomBytes(6 * 1024 * 1024 + 3);
    writeFileSync(join(local, NAME), data);
    chmodSync(join(local, NAME), 0o640);
    utimesSync(join(local, NAME), OLD, OLD);
    writeFileSync(join(local, 'tree/sub/leaf'), 'leaf');
    writeFileSync(join(local, 'tree/top'), '');

    const up = await scpRun('scp', server, local, [NAME, `R:${remote}/`], { flags: [...flags, '-p'] });
    assert.equal(up.code, 0, `${up.stderr}\n${server.log().slice(-2000)}`);
    assert.equal(sha(readFileSync(join(remote, NAME))), sha(data));
    const st = statSync(join(remote, NAME));
    assert.equal(st.mode & 0o777, 0o640);
    assert.equal(st.mtimeMs / 1000, OLD);

    // The legacy protocol hands the remote name to the remote shell: there it needs quoting (and -T, as scp
    // then cannot match the quoted name against the one sent back), exactly as with sshd.
    const remoteName = mode === 'legacy' ? `'${remote}/${NAME}'` : `${remote}/${NAME}`;
    const quoting = mode === 'legacy' ? ['-T'] : [];
    const down = await scpRun('scp', server, local, [`R:${remoteName}`, 'back.bin'], { flags: [...flags, ...quoting, '-p'] });
    assert.equal(down.code, 0, down.stderr);
    assert.equal(sha(readFileSync(join(local, 'back.bin'))), sha(data));
    assert.equal(statSync(join(local, 'back.bin')).mtimeMs / 1000, OLD);

    const tree = await scpRun('scp', server, local, ['tree', `R:${remote}/tree`], { flags: [...flags, '-r'] });
    assert.equal(tree.code, 0, tree.stderr);
    assert.equal(readFileSync(join(remote, 'tree/sub/leaf'), 'utf8'), 'leaf');
    assert.equal(readFileSync(join(remote, 'tree/top')).length, 0);
    const back = await scpRun('scp', server, local, [`R:${remote}/tree`, 'tree-back'], { flags: [...flags, '-r'] });
    assert.equal(back.code, 0, back.stderr);
    assert.equal(readFileSync(join(local, 'tree-back/sub/leaf'), 'utf8'), 'leaf');

    const missing = await scpRun('scp', server, local, [`R:${remote}/nothing`, '.'], { flags });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nothing: No such file or directory/);
  });
}
