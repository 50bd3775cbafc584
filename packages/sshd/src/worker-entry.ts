// The program a pre-started worker runs. `make build` also bundles tsshd-session into one file (esbuild), which a
// new Node process loads in about half the CPU time of the ~150 modules it is made of (measured: ~410 -> ~240 ms
// from spawn to ready). The bundle is used only while it is at least as new as every compiled module it was made
// from; after a plain `tsc -b` the modules themselves are run, so that a stale bundle never serves.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKER_BUNDLE = fileURLToPath(new URL('./tsshd-session.bundle.mjs', import.meta.url));

/** The compiled modules the bundle is made of: this package's and the protocol library's. */
const SOURCES = [fileURLToPath(new URL('.', import.meta.url)), fileURLToPath(new URL('../../ssh-protocol/dist/', import.meta.url))];

function newestModule(dir: string, skip: string): number {
  let newest = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (path === skip) continue;
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) newest = Math.max(newest, newestModule(path, skip));
    else if (name.endsWith('.js')) newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

/** The bundle when it is there and current, else `modules` (the entry of the unbundled worker). */
export function pooledWorkerEntry(modules: string, bundle: string = WORKER_BUNDLE, sources: readonly string[] = SOURCES): string {
  const st = statSync(bundle, { throwIfNoEntry: false });
  if (!st) return modules;
  const newest = Math.max(...sources.map((d) => newestModule(d, bundle)));
  return st.mtimeMs >= newest ? bundle : modules;
}
