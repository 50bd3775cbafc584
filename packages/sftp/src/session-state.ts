// The state of one tsftp session the commands work on: the client, the remote working directory, and where text
// goes. Local paths are relative to the process's own working directory (lcd changes it).
import type { SftpClient } from '@tssh/ssh-protocol/sftp';
import type { TransferFlags } from './commands.js';
import type { TransferContext } from './transfer-context.js';

export interface SessionState {
  readonly client: SftpClient;
  /** The remote working directory, absolute. */
  cwd: string;
  /** Where the session started (`cd` without a path goes back there). */
  readonly home: string;
  /** -r, -p, -a, -f on the command line: as if given to every get and put. */
  readonly defaults: TransferFlags;
  /** -q or batch mode: no "Fetching ..." lines, no progress meter. */
  readonly quiet: boolean;
  /** Batch mode (-b): a failure ends the batch, and a command over several files stops at the first failing one. */
  readonly batch: boolean;
  /** The progress meter is wanted (the `progress` command toggles it); shown on a terminal only. */
  showProgress: boolean;
  /** Standard output and error lines. */
  print(text: string): void;
  error(text: string): void;
  /** Columns for `ls` (stdin's terminal, or 80). */
  width(): number;
  /** Aborted when the user interrupts the command running now (^C). */
  signal: AbortSignal | undefined;
  /** The transfer context for the current settings. */
  transfers(): TransferContext;
}
