// Remote path text as OpenSSH's sftp handles it: always "/" separated, joined without doubling the slash,
// made absolute against the remote working directory, and shortened back for display.

/** path_append(): `dir` and `name` with one "/" between them. */
export function appendPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** A relative path taken against `cwd`. */
export function makeAbsolute(path: string, cwd: string): string {
  return path.startsWith('/') ? path : appendPath(cwd, path);
}

/** basename(3): the last component, trailing slashes ignored; "/" stays "/". */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path.startsWith('/') ? '/' : '.';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** dirname(3) */
export function dirName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  if (slash === 0) return '/';
  return trimmed.slice(0, slash).replace(/\/+$/, '') || '/';
}

/** path_strip(): `path` without a leading `prefix` (and the "/" after it), for display relative to `prefix`. */
export function stripPrefix(path: string, prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || !path.startsWith(prefix)) return path;
  let n = prefix.length;
  if (!prefix.endsWith('/') && path[n] === '/') n++;
  return path.slice(n);
}
