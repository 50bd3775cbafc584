// keyboard-interactive (RFC 4256) as sshd runs it over PAM's usual stack: one round with a single
// "Password: " prompt, answered through the same system password check as the `password` method.
import type { KbdintConversation, KbdintStep } from '@tssh/ssh-protocol/auth';

export class PasswordConversation implements KbdintConversation {
  private asked = false;

  constructor(private readonly check: (password: string) => Promise<boolean>) {}

  start(): KbdintStep {
    this.asked = true;
    return { kind: 'prompts', name: '', instruction: '', prompts: [{ prompt: 'Password: ', echo: false }] };
  }

  async respond(responses: string[]): Promise<KbdintStep> {
    // The state machine guarantees one response per prompt; a response without a question is a failure.
    if (!this.asked || responses.length !== 1) return { kind: 'failure' };
    this.asked = false;
    return (await this.check(responses[0])) ? { kind: 'success' } : { kind: 'failure' };
  }
}
