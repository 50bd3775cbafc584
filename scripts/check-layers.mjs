#!/usr/bin/env node
// Lint: the protocol core's layers import only downward (see design.md), `crypto/` alone imports crypto
// libraries, and only `node/` (and `config/` for its file hooks) touches Node's I/O modules. `config/` stands
// beside the stack and may use only `wire/` and `crypto/` (hashing for tokens such as %C).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const src = new URL('../packages/ssh-protocol/src/', import.meta.url).pathname;
const ORDER = ['wire', 'crypto', 'keys', 'agent', 'kex', 'transport', 'auth', 'connection', 'sftp', 'endpoint', 'node'];
const IO_MODULES = /^(node:)?(fs|net|child_process|dgram|tls|http|https|stream|fs\/promises|os|tty|worker_threads)$/;
const CRYPTO_LIBS = /^(@noble\/|(node:)?crypto$)/;

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.ts') ? [p] : [];
  });
}

const problems = [];
for (const file of files(src)) {
  const rel = relative(src, file);
  const layer = rel.split('/')[0];
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    const spec = m[1];
    if (spec.startsWith('.')) {
      const target = relative(src, join(file, '..', spec)).split('/')[0];
      if (target === layer || !ORDER.includes(target)) continue;
      if (layer === 'config') {
        if (target !== 'wire' && target !== 'crypto') problems.push(`${rel}: config/ imports ${target}/ (config uses wire/ and crypto/ only)`);
        continue;
      }
      if (ORDER.indexOf(target) > ORDER.indexOf(layer)) problems.push(`${rel}: ${layer}/ imports higher layer ${target}/`);
    } else if (CRYPTO_LIBS.test(spec) && layer !== 'crypto') {
      problems.push(`${rel}: only crypto/ may import ${spec}`);
    } else if (IO_MODULES.test(spec) && layer !== 'node' && layer !== 'config') {
      problems.push(`${rel}: only node/ may import ${spec}`);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layers ok');
