// RFC 4252 / RFC 4256 server side, sans-IO: fed every payload numbered 50..79 after the ssh-userauth service
// was accepted; answers through `send`; decisions come from the AuthPolicy. Behaviour follows sshd: failure
// counting, log lines, AuthenticationMethods lists and the refusal to change user or service mid-way.
import type { PublicKey } from '../keys/index.js';
import { parsePublicKeyBlob, signatureAlgorithmOf } from '../keys/index.js';
import type { Env } from '../wire/index.js';
import { DisconnectReason, MSG, ProtocolError, SshError, assertNever, bytesEqual, messageLayer } from '../wire/index.js';
import type { AuthPolicy, KbdintConversation, KbdintStep, PeerAddress, ServerAuthResult } from './auth-policy.js';
import { TooManyAuthFailuresError } from './errors.js';
import { keyLogText, printable } from './log-text.js';
import {
  decodeInfoResponse,
  decodeUserauthRequest,
  encodeInfoRequest,
  encodePasswdChangereq,
  encodeUserauthBanner,
  encodeUserauthFailure,
  encodeUserauthPkOk,
  encodeUserauthSuccess,
  publickeySignedData,
} from './messages.js';
import type { UserauthMethod, UserauthRequest } from './messages.js';
import { MethodLists } from './method-lists.js';

export const DEFAULT_MAX_AUTH_TRIES = 6;

export interface ServerAuthOptions {
  env: Env;
  send(payload: Uint8Array): void;
  /** Exchange hash H of the first key exchange (RFC 4253 §7.2). */
  sessionId: Uint8Array;
  policy: AuthPolicy;
  /** sshd MaxAuthTries; default 6. */
  maxAuthTries?: number;
  service?: 'ssh-connection';
  /** Sent once, before the first reply (RFC 4252 §5.4). */
  banner?: string;
  /** For log lines only. */
  peer?: PeerAddress;
  onSuccess?(result: ServerAuthResult): void;
}

type Phase =
  | { kind: 'waiting' }
  | { kind: 'kbdint'; conversation: KbdintConversation; expected: number }
  | { kind: 'done' }
  | { kind: 'dead' };

export class ServerAuth {
  /** Resolves on success; rejects with the error that ended authentication. */
  readonly result: Promise<ServerAuthResult>;
  private resolve!: (r: ServerAuthResult) => void;
  private reject!: (e: unknown) => void;
  private queue: Promise<void> = Promise.resolve();
  private phase: Phase = { kind: 'waiting' };
  private readonly sessionId: Uint8Array;
  private readonly service: string;
  private readonly maxTries: number;
  private user: string | undefined;
  private valid = false;
  private lists = new MethodLists([]);
  private attempts = 0;
  private failures = 0;
  private bannerSent = false;
  private readonly methodsUsed: string[] = [];
  private readonly usedKeys: PublicKey[] = [];

  constructor(private readonly opts: ServerAuthOptions) {
    this.sessionId = opts.sessionId.slice();
    this.service = opts.service ?? 'ssh-connection';
    this.maxTries = opts.maxAuthTries ?? DEFAULT_MAX_AUTH_TRIES;
    this.result = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.result.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  }

  get authenticated(): boolean {
    return this.phase.kind === 'done';
  }

  /** Feed one payload (message 50..79). Messages are processed one at a time, in arrival order. */
  handle(payload: Uint8Array): Promise<void> {
    const run = this.queue.then(() => this.process(payload));
    this.queue = run.catch(() => {});
    return run;
  }

  private async process(payload: Uint8Array): Promise<void> {
    if (this.phase.kind === 'dead') return;
    try {
      const n = payload.length > 0 ? payload[0] : -1;
      if (messageLayer(n) !== 'userauth') throw new ProtocolError(`message ${n} is not a user authentication message`);
      // RFC 4252 §5.1: requests after SUCCESS SHOULD be silently ignored.
      if (this.phase.kind === 'done') return;
      if (n === MSG.USERAUTH_REQUEST) return await this.onRequest(decodeUserauthRequest(payload));
      if (n === MSG.USERAUTH_INFO_RESPONSE) return await this.onInfoResponse(decodeInfoResponse(payload));
      throw new ProtocolError(`unexpected message ${n} during user authentication`);
    } catch (e) {
      this.phase = { kind: 'dead' };
      this.reject(e);
      throw e;
    }
  }

  private get log() {
    return this.opts.env.log;
  }

  private get from(): string {
    const p = this.opts.peer;
    return p ? `from ${printable(p.address)} port ${p.port}` : 'from UNKNOWN port 65535';
  }

  private get who(): string {
    return `${this.valid ? '' : 'invalid user '}${printable(this.user ?? '')}`;
  }

  private async onRequest(req: UserauthRequest): Promise<void> {
    this.abandonKbdint();
    if (this.user === undefined) {
      if (req.service !== this.service) {
        throw new SshError(DisconnectReason.SERVICE_NOT_AVAILABLE, `unknown service ${printable(req.service)}`);
      }
      await this.firstRequest(req.user);
    } else if (req.user !== this.user || req.service !== this.service) {
      throw new ProtocolError(
        `Change of username or service not allowed: (${printable(this.user)},${printable(this.service)}) -> ` +
          `(${printable(req.user)},${printable(req.service)})`,
      );
    }
    this.attempts++;
    if (!this.bannerSent && this.opts.banner !== undefined) {
      this.opts.send(encodeUserauthBanner({ message: this.opts.banner, language: '' }));
    }
    this.bannerSent = true;
    const name = req.method === 'unknown' ? req.name : req.method;
    if (name !== 'none' && !this.lists.allows(name)) {
      this.log.debug(`userauth: method ${printable(name)} not allowed now`, { user: this.user, method: name });
      return this.fail(name);
    }
    return this.dispatch(req);
  }

  private async firstRequest(user: string): Promise<void> {
    const policy = this.opts.policy;
    this.user = user;
    this.valid = await policy.userValid(user);
    if (!this.valid) this.log.info(`Invalid user ${printable(user)} ${this.from}`, { user, peer: this.opts.peer });
    const implemented = new Set<string>();
    if (policy.checkPublicKey) implemented.add('publickey');
    if (policy.checkPassword) implemented.add('password');
    if (policy.keyboardInteractive) implemented.add('keyboard-interactive');
    // A list naming a method we cannot run could never complete: drop it rather than offer a dead end.
    const lists = (await policy.methodsFor(user)).filter((l) => l.every((m) => implemented.has(m)));
    this.lists = new MethodLists(lists);
  }

  private async dispatch(req: UserauthMethod): Promise<void> {
    switch (req.method) {
      case 'none':
        return this.fail('none');
      case 'publickey':
        return this.publickey(req.algorithm, req.blob, req.signature);
      case 'password':
        return this.password(req.password, req.newPassword);
      case 'keyboard-interactive':
        return this.keyboardInteractive(req.submethods);
      case 'hostbased':
        return this.fail('hostbased');
      case 'unknown':
        return this.fail(req.name);
      default:
        return assertNever(req);
    }
  }

  // RFC 4252 §7. The key checked and the key verifying the signature are both parsed from this request's blob.
  private async publickey(algorithm: string, blob: Uint8Array, signature: Uint8Array | undefined): Promise<void> {
    const user = this.user!;
    let key: PublicKey;
    try {
      key = parsePublicKeyBlob(blob);
    } catch (e) {
      this.log.verbose(`userauth: cannot parse public key: ${(e as Error).message}`, { user });
      return this.fail('publickey');
    }
    const label = keyLogText(key);
    if (!key.signatureAlgorithms.includes(algorithm) || !this.opts.policy.acceptedAlgorithms.includes(algorithm)) {
      this.log.verbose(`userauth: signature algorithm ${printable(algorithm)} not accepted for ${label}`, { user });
      return this.fail('publickey', label);
    }
    if (this.usedKeys.some((k) => bytesEqual(k.blob, blob))) {
      this.log.verbose(`userauth: refusing previously-used ${label}`, { user });
      return this.fail('publickey', label);
    }
    const authorized = (await this.opts.policy.checkPublicKey!(user, key, algorithm)) && this.valid;
    if (signature === undefined) {
      if (!authorized) return this.fail('publickey', label);
      // A query for an acceptable key is answered, not counted (sshd "Postponed publickey").
      this.log.debug(`Postponed publickey for ${this.who} ${this.from} ssh2 [preauth]`, { user, key: label });
      this.opts.send(encodeUserauthPkOk({ algorithm, blob }));
      return;
    }
    const signed = publickeySignedData(this.sessionId, user, this.service, algorithm, blob);
    if (authorized && signatureAlgorithmMatches(signature, algorithm) && key.verify(signed, signature)) {
      this.usedKeys.push(key);
      return this.succeed('publickey', label, key);
    }
    return this.fail('publickey', label);
  }

  // RFC 4252 §8.
  private async password(password: string, newPassword: string | undefined): Promise<void> {
    const { policy } = this.opts;
    const user = this.user!;
    let verdict: boolean | 'change';
    if (newPassword === undefined) verdict = await policy.checkPassword!(user, password);
    else verdict = policy.changePassword ? await policy.changePassword(user, password, newPassword) : false;
    if (!this.valid || (verdict === 'change' && !policy.changePassword)) verdict = false;
    if (verdict === true) return this.succeed('password');
    if (verdict === 'change') {
      this.log.verbose(`Password change required for ${this.who} ${this.from}`, { user });
      this.opts.send(encodePasswdChangereq({ prompt: 'Password change required.', language: '' }));
      return;
    }
    return this.fail('password');
  }

  // RFC 4256 §3.1-§3.2.
  private async keyboardInteractive(submethods: string): Promise<void> {
    const conversation = await this.opts.policy.keyboardInteractive!(this.user!, submethods);
    if (!conversation) return this.fail('keyboard-interactive');
    this.phase = { kind: 'kbdint', conversation, expected: 0 };
    return this.kbdintStep(await conversation.start());
  }

  private async onInfoResponse(responses: string[]): Promise<void> {
    const phase = this.phase;
    if (phase.kind !== 'kbdint') throw new ProtocolError('SSH_MSG_USERAUTH_INFO_RESPONSE without a request');
    // RFC 4256 §3.4: one response per prompt.
    if (responses.length !== phase.expected) {
      throw new ProtocolError(`keyboard-interactive: ${responses.length} responses to ${phase.expected} prompts`);
    }
    return this.kbdintStep(await phase.conversation.respond(responses));
  }

  private async kbdintStep(step: KbdintStep): Promise<void> {
    const phase = this.phase;
    if (phase.kind !== 'kbdint') throw new Error('keyboard-interactive step outside a conversation');
    switch (step.kind) {
      case 'prompts':
        phase.expected = step.prompts.length;
        this.opts.send(encodeInfoRequest({ ...step, language: '' }));
        return;
      case 'success':
        this.phase = { kind: 'waiting' };
        return this.valid ? this.succeed('keyboard-interactive') : this.fail('keyboard-interactive');
      case 'failure':
        this.phase = { kind: 'waiting' };
        return this.fail('keyboard-interactive');
      default:
        return assertNever(step);
    }
  }

  // RFC 4256 §3.3: a new request ends the conversation in progress.
  private abandonKbdint(): void {
    if (this.phase.kind !== 'kbdint') return;
    this.phase.conversation.abandon?.();
    this.phase = { kind: 'waiting' };
  }

  private succeed(method: string, keyText?: string, key?: PublicKey): void {
    const user = this.user!;
    this.methodsUsed.push(method);
    const complete = this.lists.complete(method);
    const suffix = keyText ? `: ${keyText}` : '';
    const fields = { user, method, peer: this.opts.peer, key: keyText };
    if (!complete) {
      // RFC 4252 §5.1: partial success, the list goes on.
      this.log.info(`Partial ${method} for ${this.who} ${this.from} ssh2${suffix}`, fields);
      this.opts.send(encodeUserauthFailure({ methods: this.lists.offered(), partialSuccess: true }));
      return;
    }
    this.log.info(`Accepted ${method} for ${this.who} ${this.from} ssh2${suffix}`, fields);
    this.phase = { kind: 'done' };
    this.opts.send(encodeUserauthSuccess());
    const lastKey = key ?? this.usedKeys.at(-1);
    const result: ServerAuthResult = { user, method, methodsUsed: [...this.methodsUsed] };
    if (lastKey) result.publicKey = lastKey;
    this.opts.onSuccess?.(result);
    this.resolve(result);
  }

  private fail(method: string, keyText?: string): void {
    const text = `Failed ${printable(method)} for ${this.who} ${this.from} ssh2${keyText ? `: ${keyText}` : ''}`;
    const fields = { user: this.user, method, peer: this.opts.peer, key: keyText };
    // sshd: failures are logged at info when they matter, else verbose; the initial none probe only at debug.
    if (method === 'none') this.log.debug(text, fields);
    else if (!this.valid || method === 'password' || this.failures >= this.maxTries / 2) this.log.info(text, fields);
    else this.log.verbose(text, fields);
    // sshd: the first request, if it is `none`, carries no penalty.
    if (this.attempts > 1 || method !== 'none') this.failures++;
    if (this.failures >= this.maxTries) {
      this.log.error(`maximum authentication attempts exceeded for ${this.who} ${this.from} ssh2 [preauth]`, fields);
      throw new TooManyAuthFailuresError();
    }
    this.opts.send(encodeUserauthFailure({ methods: this.lists.offered(), partialSuccess: false }));
  }
}

function signatureAlgorithmMatches(signature: Uint8Array, algorithm: string): boolean {
  try {
    return signatureAlgorithmOf(signature) === algorithm;
  } catch {
    return false;
  }
}
