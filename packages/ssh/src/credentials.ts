// Where authentication gets what it needs from the user: the keys, and passwords and keyboard-interactive
// answers asked on the terminal without echo (never in BatchMode, as ssh); the server's banner is shown.
import type { ClientCredentials, ClientIdentity, DeferredClientIdentity } from '@tssh/ssh-protocol/auth';
import { utf8 } from '@tssh/ssh-protocol/wire';
import type { ClientLogger } from './client-log.js';
import { bannerText, logText, utf8Locale } from './server-text.js';
import { askOrGiveUp, type Prompter } from './terminal-prompt.js';

export interface CredentialOptions {
  readonly log: ClientLogger;
  readonly batchMode: boolean;
  /** The keys to try, in order (asked for once, when publickey authentication starts). */
  identities(): Promise<ReadonlyArray<ClientIdentity | DeferredClientIdentity>>;
  /** The server's user and host (HostKeyAlias if set) for keyboard-interactive prompts: `(user@host) Password: `. */
  readonly user: string;
  readonly host: string;
  readonly prompter: Prompter;
  /** Text for the user, as is (the banner). */
  tell(text: string): void;
}

export function clientCredentials(opts: CredentialOptions): ClientCredentials {
  const { log } = opts;
  return {
    identities: () => opts.identities(),
    async askPassword(prompt, attempt) {
      if (opts.batchMode) return undefined;
      if (attempt > 0) log.error('Permission denied, please try again.');
      return askOrGiveUp(opts.prompter, prompt, false);
    },
    // ssh's input_userauth_passwd_changereq: the server's text, then the new password twice until both agree.
    async askNewPassword(prompt) {
      if (opts.batchMode) return undefined;
      if (prompt !== '') log.info(logText(prompt));
      const who = `${opts.user}@${opts.host}`;
      for (;;) {
        const first = await askOrGiveUp(opts.prompter, `Enter ${who}'s new password: `, false);
        if (first === undefined) return undefined;
        const again = await askOrGiveUp(opts.prompter, `Retype ${who}'s new password: `, false);
        if (again === first) return first;
        log.info('Mismatch; try again, EOF to quit.');
      }
    },
    // ssh's input_userauth_info_req: name and instruction are log lines; each prompt names user and host.
    async askInteractive(name, instruction, prompts) {
      if (opts.batchMode) return undefined;
      if (name !== '') log.info(logText(name));
      if (instruction !== '') log.info(logText(instruction));
      const answers: string[] = [];
      for (const p of prompts) {
        const prompt = bannerText(utf8(p.prompt), utf8Locale());
        const answer = await askOrGiveUp(opts.prompter, `(${opts.user}@${opts.host}) ${prompt}`, p.echo);
        if (answer === undefined) return undefined;
        answers.push(answer);
      }
      return answers;
    },
    onBanner(_text, _language, raw) {
      if (log.shows('INFO')) opts.tell(bannerText(raw, utf8Locale()));
    },
  };
}
