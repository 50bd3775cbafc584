// Which module a program's bin shim runs. `make build` bundles each client program (tssh, tsftp, tscp,
// tssh-keygen) into one file with esbuild, dist/<name>.bundle.mjs: a Node process loads it in about 0.2 s less CPU
// than the ~200 modules it is made of. The bundle serves only while it is newer than the last compilation of every
// package it was made from (tsc -b rewrites a package's tsconfig.tsbuildinfo whenever it compiles it), so that a
// plain `tsc -b` after `make build` runs the fresh modules, never a stale bundle. An installed copy has no
// .tsbuildinfo: its bundle serves. TSSH_NO_BUNDLE=1 runs the modules regardless.
//
// The shims of the programs that move data (tssh, tsftp, tscp) start Node with --initial-old-space-size=64. A
// bundle leaves a small old generation (about 10 MB), V8 sets its limits from it, and V8 starts a full collection
// whenever the room left under the limit is less than the young generation's size. A transfer promotes a little of
// every packet's garbage, so a full mark-compact ran every 20-40 ms (60 and more per GiB, `--trace-gc`). With the
// 64 MB limit there are none: 1 GiB through tssh to OpenSSH's sshd (aes128-gcm, up / down) went from 351-372 /
// 451-551 MB/s to 462-468 / 653-657, in 22-24 % less CPU. It is a limit, not a reservation. The price is start-up:
// Node's built-in code cache is checked against V8's flags, so with any flag given Node compiles its own modules
// afresh, about 15 ms. (Set at run time instead, --heap-growing-percent needed a factor of 10 to have the same
// effect, a limit with no bound for a large heap.) Run as `node tssh.js` instead of `tssh`, a program goes without.
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
