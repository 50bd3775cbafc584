// tssh-keygen as a real process in a throwaway directory that is also HOME, with or without a terminal.
import { after } from 'node:test';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import { KEY_FIXTURES } from './key-fixtures.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const KEYGEN = join(ROOT, 'packages/keygen/bin/tssh-keygen.js');

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh directory holding a copy of the key fixtures, also used as HOME; removed after the file's tests. */
export function workDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tssh-keygen-test-'));
  dirs.push(d);
  cpSync(KEY_FIXTURES, d, { recursive: true });
  return d;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** tssh-keygen with stdin closed (no terminal). */
export function keygen(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [KEYGEN, ...args],
      { cwd, encoding: 'utf8', env: { ...process.env, HOME: cwd }, timeout: 20_000 },
      (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

export const mode = (path: string): number => statSync(path).mode & 0o777;

/**
 * Run tssh-keygen on a terminal: each time the output so far matches the next prompt, type its answer.
 * Resolves with everything the terminal showed and the exit code.
 */
export function keygenOnTerminal(cwd: string, args: string[], script: Array<readonly [RegExp, string]>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const term = pty.spawn(process.execPath, [KEYGEN, ...args], { cwd, env: { ...process.env, HOME: cwd }, cols: 100, rows: 40 });
    let shown = '';
    let step = 0;
    let seen = 0;
    const timer = setTimeout(() => {
      term.kill();
      reject(new Error(`no prompt ${String(script[step]?.[0])} after ${JSON.stringify(shown)}`));
    }, 20_000);
    term.onData((d) => {
      shown += d;
      while (step < script.length) {
        const m = script[step][0].exec(shown.slice(seen));
        if (!m) break;
        seen += (m.index ?? 0) + m[0].length;
        term.write(script[step][1]);
        step++;
      }
    });
    term.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve({ status: exitCode, stdout: shown, stderr: '' });
    });
  });
}
