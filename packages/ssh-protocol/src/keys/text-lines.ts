/** Split a text file into lines without their `\n` (a `\r` before it stays); a final `\n` adds no empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
