// tsftp's glob: fnmatch of one component (wildcards, classes, escapes, dot files) and the expansion of whole paths
// over a file system given as a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGlob, hasGlobMagic, matchComponent, unescapeGlob, type GlobFs } from '@tssh/sftp/glob';

const MATCHES: Array<[string, string, boolean]> = [
  ['*.txt', 'a.txt', true],
  ['*.txt', 'a.txt.bak', false],
  ['*', '.hidden', false],
  ['.*', '.hidden', true],
  ['?', 'x', true],
  ['?', 'xy', false],
  ['?', 'ü', true],
  ['[abc]x', 'bx', true],
  ['[a-c]x', 'dx', false],
  ['[!a-c]x', 'dx', true],
  ['[^a]x', 'ax', false],
  ['[]]', ']', true],
  ['[', '[', true],
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['a\\?b', 'a?b', true],
  ['*b*c', 'abxbc', true],
  ['*b*c', 'abxb', false],
  ['name with spaces*', 'name with spaces ü.txt', true],
  ['日*', '日本', true],
];

for (const [pattern, name, expected] of MATCHES) {
  test(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(name)}`, () => {
    assert.equal(matchComponent(pattern, name), expected);
  });
}

test('magic and escapes', () => {
  assert.equal(hasGlobMagic('a*'), true);
  assert.equal(hasGlobMagic('a\\*'), false);
  assert.equal(hasGlobMagic('a[1]'), true);
  assert.equal(hasGlobMagic('plain/name'), false);
  assert.equal(unescapeGlob('a\\*b\\?c\\[d\\\\e'), 'a*b?c[d\\e');
  assert.equal(unescapeGlob('a\\nb'), 'a\\nb');
  assert.equal(unescapeGlob('trailing\\'), 'trailing\\');
});

/** A tree of names; directories are objects, files are sizes, links are { link: target }. */
type Tree = { [name: string]: Tree | number | { link: string } };

function tableFs(tree: Tree): GlobFs<{ dir: boolean; link: boolean }> & { listed: string[] } {
  const find = (path: string): Tree | number | { link: string } | undefined => {
    let node: Tree | number | { link: string } | undefined = tree;
    for (const part of path.split('/').filter((p) => p !== '' && p !== '.')) {
      if (typeof node !== 'object' || 'link' in node) return undefined;
      node = (node as Tree)[part];
    }
    return node;
  };
  const statOf = (n: Tree | number | { link: string }) => ({ dir: typeof n === 'object' && !('link' in n), link: typeof n === 'object' && 'link' in n });
  const listed: string[] = [];
  return {
    listed,
    async list(dir) {
      listed.push(dir);
      const n = find(dir);
      if (typeof n !== 'object' || 'link' in n) return undefined;
      return Object.entries(n as Tree).map(([name, c]) => ({ name, stat: statOf(c) }));
    },
    async stat(path) {
      const n = find(path);
      if (n === undefined) return undefined;
      if (typeof n === 'object' && 'link' in n) return { dir: false, link: false };
      return statOf(n);
    },
    isLink: (s) => s.link,
  };
}

const TREE: Tree = {
  home: {
    'a.txt': 1,
    'b.txt': 2,
    '.hidden.txt': 3,
    'c.bin': 4,
    sub: { 'x.txt': 5, deeper: { 'y.txt': 6 } },
    other: { 'x.txt': 7 },
    'link.txt': { link: 'a.txt' },
    'star*': 8,
  },
};

test('expandGlob: wildcards in the last and in middle components, sorted, with stats', async () => {
  const fs = tableFs(TREE);
  const m = await expandGlob('/home/*.txt', fs);
  assert.deepEqual(m.map((x) => x.path), ['/home/a.txt', '/home/b.txt', '/home/link.txt']);
  const deep = await expandGlob('/home/*/x.txt', fs);
  assert.deepEqual(deep.map((x) => x.path), ['/home/other/x.txt', '/home/sub/x.txt']);
  const dirs = await expandGlob('/home/s*', fs);
  assert.deepEqual(dirs.map((x) => [x.path, x.stat.dir]), [['/home/star*', false], ['/home/sub', true]]);
});

test('expandGlob: plain names match themselves only when they exist; escaped wildcards are plain', async () => {
  const fs = tableFs(TREE);
  assert.deepEqual((await expandGlob('/home/c.bin', fs)).map((x) => x.path), ['/home/c.bin']);
  assert.deepEqual(await expandGlob('/home/nothing', fs), []);
  assert.deepEqual(await expandGlob('/nowhere/*', fs), []);
  assert.deepEqual((await expandGlob('/home/star\\*', fs)).map((x) => x.path), ['/home/star*']);
  assert.deepEqual((await expandGlob('/home/.h*', fs)).map((x) => x.path), ['/home/.hidden.txt']);
  assert.deepEqual((await expandGlob('/', fs)).map((x) => x.path), ['/']);
});

test('expandGlob: a relative pattern lists "." and gives relative paths', async () => {
  const fs = tableFs(TREE.home as Tree);
  assert.deepEqual((await expandGlob('sub/*', fs)).map((x) => x.path), ['sub/deeper', 'sub/x.txt']);
  assert.deepEqual(fs.listed, ['sub']);
  assert.deepEqual((await expandGlob('*.bin', fs)).map((x) => x.path), ['c.bin']);
  assert.equal(fs.listed[1], '.');
});
