// Where authentication gets what it needs from the user: the identity files, and passwords and
// keyboard-interactive answers asked on the terminal (never in BatchMode, as ssh).
import type { ClientCredentials, ClientIdentity } from '@tssh/ssh-protocol/auth';
import type { ClientLogger } from './client-log.js';
import { NoTerminalError, askTerminal } from './terminal-prompt.js';

export interface CredentialOptions {
  readonly log: ClientLogger;
  readonly batchMode: boolean;
  readonly identities: readonly ClientIdentity[];
  /** Text for the user, as is (banners, keyboard-interactive instructions). */
  tell(text: string): void;
}

/** Asks on the terminal; undefined when there is none or the user gave up. */
export async function askOrGiveUp(prompt: string, echo: boolean): Promise<string | undefined> {
  try {
    return await askTerminal(prompt, echo);
  } catch (e) {
    if (e instanceof NoTerminalError) return undefined;
    throw e;
  }
}

/** Control characters other than tab and newline are shown escaped, as ssh's strnvis does for server text. */
export function sanitize(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

export function clientCredentials(opts: CredentialOptions): ClientCredentials {
  const { log } = opts;
  return {
    identities: () => opts.identities,
    async askPassword(prompt, attempt) {
      if (opts.batchMode) return undefined;
      if (attempt > 0) log.error('Permission denied, please try again.');
      return askOrGiveUp(prompt, false);
    },
    async askInteractive(name, instruction, prompts) {
      if (opts.batchMode) return undefined;
      if (name !== '') opts.tell(`${sanitize(name)}\n`);
      if (instruction !== '') opts.tell(`${sanitize(instruction)}${instruction.endsWith('\n') ? '' : '\n'}`);
      const answers: string[] = [];
      for (const p of prompts) {
        const answer = await askOrGiveUp(sanitize(p.prompt), p.echo);
        if (answer === undefined) return undefined;
        answers.push(answer);
      }
      return answers;
    },
    onBanner(text) {
      if (log.shows('INFO')) opts.tell(sanitize(text));
    },
  };
}
