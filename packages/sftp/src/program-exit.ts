// The end of a tsftp or tscp run: pending output reaches stdout and stderr, then the process exits with the status
// (a reader that went away must not change it).

export async function exitWith(code: number): Promise<never> {
  await new Promise((r) => setImmediate(r));
  await Promise.all(
    [process.stdout, process.stderr].map((s) => {
      s.on('error', () => {});
      return new Promise<void>((r) => (s.destroyed || s.writableEnded ? r() : s.write('', () => r())));
    }),
  );
  process.exit(code);
}

/** Text for the user on stderr, whatever the log level. */
export const tell = (text: string): void => void process.stderr.write(text);
