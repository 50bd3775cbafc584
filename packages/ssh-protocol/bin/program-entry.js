// Which module a program's bin shim runs. `make build` bundles each client program (tssh, tsftp, tscp,
// tssh-keygen) into one file with esbuild, dist/<name>.bundle.mjs: a Node process loads it in about 0.2 s less CPU
// than the ~200 modules it is made of. The bundle serves only while it is newer than the last compilation of every
// package it was made from (tsc -b rewrites a package's tsconfig.tsbuildinfo whenever it compiles it), so that a
// plain `tsc -b` after `make build` runs the fresh modules, never a stale bundle. An installed copy has no
// .tsbuildinfo: its bundle serves. TSSH_NO_BUNDLE=1 runs the modules regardless.
import { statSync } from 'node:fs';

/**
 * The URL to import for program `name`, whose shim is at `shimUrl` (its import.meta.url), bundled from the compiled
 * `packages` (directory names under packages/).
 */
export function programEntry(shimUrl, name, packages) {
  const dist = new URL('../dist/', shimUrl);
  const modules = new URL(`${name}.js`, dist).href;
  if (process.env.TSSH_NO_BUNDLE) return modules;
  const bundle = statSync(new URL(`${name}.bundle.mjs`, dist), { throwIfNoEntry: false });
  if (!bundle) return modules;
  const root = new URL('../../', shimUrl);
  for (const p of packages) {
    const built = statSync(new URL(`${p}/tsconfig.tsbuildinfo`, root), { throwIfNoEntry: false });
    if (built && built.mtimeMs > bundle.mtimeMs) return modules;
  }
  return new URL(`${name}.bundle.mjs`, dist).href;
}
