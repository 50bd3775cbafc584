import { constants } from 'node:os';

/** RFC 4254 §6.10 signal names are POSIX names without "SIG". */
export function signalName(signal: NodeJS.Signals): string {
  return signal.replace(/^SIG/, '');
}

/** The number of a signal named as in RFC 4254 §6.9 ("INT", "TERM", ...), if we know it. */
export function signalNumber(name: string): number | undefined {
  const n = (constants.signals as Record<string, number>)[`SIG${name}`];
  return typeof n === 'number' ? n : undefined;
}
