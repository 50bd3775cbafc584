// What the transfer and file commands share: the SFTP client, how large and how many requests go out, and where
// messages, errors and the progress meter go.
import type { SftpClient, TransferTuning } from '@tssh/ssh-protocol/sftp';
import type { MeterOutput } from './progress-meter.js';

export interface TransferContext {
  readonly client: SftpClient;
  readonly tuning: TransferTuning;
  /** A progress meter for each file (a terminal, and the meter not turned off). */
  readonly progress: boolean;
  readonly meter: MeterOutput;
  /** Informational lines ("Fetching a to b"); already suppressed when quiet. */
  say(text: string): void;
  /** Error lines (stderr). */
  error(text: string): void;
  /** Aborted when the user interrupts the command (^C at the prompt): transfers stop, no more files start. */
  readonly signal?: AbortSignal;
}

export interface FileOptions {
  /** Keep modes and times (-p). */
  preserve: boolean;
  /** Start at the size already on the destination (reget, reput, -a). */
  resume: boolean;
  /** fsync@openssh.com (or fsync(2) locally) when the file is complete (-f). */
  fsync: boolean;
}
