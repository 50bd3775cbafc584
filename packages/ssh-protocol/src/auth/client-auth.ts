// RFC 4252 / RFC 4256 client side, sans-IO. Starts with `none` to learn the server's methods, then walks
// PreferredAuthentications like OpenSSH's ssh: a method is kept while it has something left to try (another
// identity, another password prompt) and the walk starts over whenever the server's list changes.
import type { PublicKey } from '../keys/index.js';
import { MSG, ProtocolError, assertNever, bytesEqual, messageLayer } from '../wire/index.js';
import { AuthFailedError } from './errors.js';
import { keyLogText, printable } from './log-text.js';
import {
  decodeUserauth60,
  decodeUserauthBanner,
  decodeUserauthFailure,
  decodeUserauthSuccess,
  encodeInfoResponse,
  encodeUserauthRequest,
  publickeySignedData,
} from './messages.js';
import type { InfoRequest, UserauthFailure, UserauthMethod } from './messages.js';
import {
  DEFAULT_PREFERRED_AUTHENTICATIONS,
  type ClientAuthOptions,
  type ClientAuthResult,
  type ClientIdentity,
  type DeferredClientIdentity,
} from './client-auth-types.js';

const IMPLEMENTED: ReadonlySet<string> = new Set(DEFAULT_PREFERRED_AUTHENTICATIONS);

type Pending =
  | { kind: 'idle' }
  | { kind: 'none' }
  | { kind: 'publickey-query'; identity: ClientIdentity; algorithm: string }
  | { kind: 'publickey-signed'; identity: ClientIdentity; algorithm: string }
  | { kind: 'password'; password: string }
  | { kind: 'keyboard-interactive' }
  | { kind: 'done' }
  | { kind: 'dead' };

export class ClientAuth {
  /** Resolves on SUCCESS; rejects with AuthFailedError when nothing is left, or the error that ended it. */
  readonly result: Promise<ClientAuthResult>;
  private resolve!: (r: ClientAuthResult) => void;
  private reject!: (e: unknown) => void;
  private queue: Promise<void> = Promise.resolve();
  private pending: Pending = { kind: 'idle' };
  private readonly sessionId: Uint8Array;
  private readonly service: string;
  private readonly preferred: string[];
  private readonly maxPrompts: number;
  private serverSigAlgs: readonly string[] | undefined;
  private serverMethods: string[] = [];
  private prefIndex = 0;
  private current: string | undefined;
  private identities: ReadonlyArray<ClientIdentity | DeferredClientIdentity> | undefined;
  private identityIndex = 0;
  private readonly acceptedKeys: PublicKey[] = [];
  private passwordAttempts = 0;
  private kbdintAttempts = 0;
  private passwordDeclined = false;
  private kbdintDeclined = false;
  private readonly methodsUsed: string[] = [];

  constructor(private readonly opts: ClientAuthOptions) {
    this.sessionId = opts.sessionId.slice();
    this.service = opts.service ?? 'ssh-connection';
    this.preferred = [...new Set(opts.preferredAuthentications ?? DEFAULT_PREFERRED_AUTHENTICATIONS)];
    this.maxPrompts = opts.numberOfPasswordPrompts ?? 3;
    this.result = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.result.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  }

  /** RFC 8308 §3.1 server-sig-algs, from EXT_INFO. */
  setServerSigAlgs(algorithms: readonly string[]): void {
    this.serverSigAlgs = [...algorithms];
  }

  /** Send the initial `none` request (RFC 4252 §5.2) and return the outcome. */
  start(): Promise<ClientAuthResult> {
    if (this.pending.kind !== 'idle') throw new Error('client authentication already started');
    this.request({ method: 'none' });
    this.pending = { kind: 'none' };
    return this.result;
  }

  /** Feed one payload (message 50..79). Messages are processed one at a time, in arrival order. */
  handle(payload: Uint8Array): Promise<void> {
    const run = this.queue.then(() => this.process(payload));
    this.queue = run.catch(() => {});
    return run;
  }

  private get log() {
    return this.opts.env.log;
  }

  private async process(payload: Uint8Array): Promise<void> {
    if (this.pending.kind === 'dead') return;
    try {
      await this.dispatch(payload);
    } catch (e) {
      this.pending = { kind: 'dead' };
      this.reject(e);
      throw e;
    }
  }

  private async dispatch(payload: Uint8Array): Promise<void> {
    const n = payload.length > 0 ? payload[0] : -1;
    if (messageLayer(n) !== 'userauth') throw new ProtocolError(`message ${n} is not a user authentication message`);
    const p = this.pending;
    if (p.kind === 'done') throw new ProtocolError(`message ${n} after SSH_MSG_USERAUTH_SUCCESS`);
    if (n === MSG.USERAUTH_BANNER) {
      const b = decodeUserauthBanner(payload);
      this.opts.credentials.onBanner?.(b.message, b.language, b.raw);
      return;
    }
    if (p.kind === 'idle') throw new ProtocolError(`message ${n} before any SSH_MSG_USERAUTH_REQUEST`);
    switch (n) {
      case MSG.USERAUTH_SUCCESS:
        decodeUserauthSuccess(payload);
        return this.onSuccess(p);
      case MSG.USERAUTH_FAILURE:
        return this.onFailure(p, decodeUserauthFailure(payload));
      case MSG.USERAUTH_PK_OK: // also PASSWD_CHANGEREQ and INFO_REQUEST: decoded by the method in progress
        return this.on60(p, payload);
      default:
        throw new ProtocolError(`unexpected message ${n} during user authentication`);
    }
  }

  private request(m: UserauthMethod): void {
    this.opts.send(encodeUserauthRequest({ user: this.opts.username, service: this.service, ...m }));
  }

  private onSuccess(p: Pending): void {
    const method = methodOf(p);
    this.methodsUsed.push(method);
    if (p.kind === 'publickey-signed') this.acceptedKeys.push(p.identity.publicKey);
    this.log.debug(`Authentication succeeded (${method}).`, { method });
    this.pending = { kind: 'done' };
    const result: ClientAuthResult = { method, methodsUsed: [...this.methodsUsed] };
    const key = this.acceptedKeys.at(-1);
    if (key) result.publicKey = key;
    this.resolve(result);
  }

  private async onFailure(p: Pending, f: UserauthFailure): Promise<void> {
    const changed = f.methods.join(',') !== this.serverMethods.join(',');
    this.serverMethods = f.methods;
    if (f.partialSuccess) {
      // RFC 4252 §5.1: the method worked but more are required.
      const method = methodOf(p);
      this.methodsUsed.push(method);
      if (p.kind === 'publickey-signed') this.acceptedKeys.push(p.identity.publicKey);
      this.log.verbose(`Authenticated using "${method}" with partial success.`, { method });
      this.identityIndex = 0;
    }
    this.log.debug(`Authentications that can continue: ${printable(f.methods.join(','))}`);
    if (changed || f.partialSuccess) {
      this.prefIndex = 0;
      this.current = undefined;
    }
    return this.next();
  }

  private async on60(p: Pending, payload: Uint8Array): Promise<void> {
    switch (p.kind) {
      case 'publickey-query': {
        const ok = decodeUserauth60(payload, 'publickey');
        if (ok.kind !== 'pk-ok') throw new ProtocolError('expected SSH_MSG_USERAUTH_PK_OK');
        if (ok.algorithm !== p.algorithm || !bytesEqual(ok.blob, p.identity.publicKey.blob)) {
          throw new ProtocolError('SSH_MSG_USERAUTH_PK_OK for a key that was not offered');
        }
        return this.signAndSend(p.identity, p.algorithm);
      }
      case 'password': {
        const req = decodeUserauth60(payload, 'password');
        if (req.kind !== 'passwd-changereq') throw new ProtocolError('expected SSH_MSG_USERAUTH_PASSWD_CHANGEREQ');
        const ask = this.opts.credentials.askNewPassword;
        const newPassword = ask ? await ask(req.prompt) : undefined;
        if (newPassword === undefined) {
          this.passwordDeclined = true;
          this.current = undefined;
          return this.next();
        }
        this.request({ method: 'password', password: p.password, newPassword });
        return;
      }
      case 'keyboard-interactive': {
        const req = decodeUserauth60(payload, 'keyboard-interactive');
        if (req.kind !== 'info-request') throw new ProtocolError('expected SSH_MSG_USERAUTH_INFO_REQUEST');
        return this.answerInfoRequest(req);
      }
      default:
        throw new ProtocolError(`unexpected message ${MSG.USERAUTH_PK_OK} for ${methodOf(p)}`);
    }
  }

  // RFC 4252 §7: sign only once the server has said it would accept the key.
  private async signAndSend(identity: ClientIdentity, algorithm: string): Promise<void> {
    this.log.debug(`Server accepts key: ${keyLogText(identity.publicKey)} ${identity.comment ?? ''}`.trimEnd());
    if (!(await this.sendSigned(identity, algorithm))) return this.next();
  }

  /** Sends the signed publickey request; false when the key could not sign (its file, its agent). */
  private async sendSigned(identity: ClientIdentity, algorithm: string): Promise<boolean> {
    const key = identity.publicKey;
    const data = publickeySignedData(this.sessionId, this.opts.username, this.service, algorithm, key.blob);
    let signature: Uint8Array;
    try {
      signature = await identity.sign(data, algorithm);
    } catch (e) {
      this.log.debug(`signing failed for ${keyLogText(key)}: ${(e as Error).message}`);
      return false;
    }
    this.request({ method: 'publickey', algorithm, blob: key.blob, signature });
    this.pending = { kind: 'publickey-signed', identity, algorithm };
    return true;
  }

  // RFC 4256 §3.3.
  private async answerInfoRequest(req: InfoRequest): Promise<void> {
    let responses: string[] | undefined = [];
    const ask = this.opts.credentials.askInteractive;
    if (req.prompts.length > 0 || req.name !== '' || req.instruction !== '') {
      responses = ask ? await ask(req.name, req.instruction, req.prompts) : undefined;
    }
    if (responses === undefined) {
      // A new request abandons the conversation (RFC 4256 §3.3).
      this.kbdintDeclined = true;
      this.current = undefined;
      return this.next();
    }
    if (responses.length !== req.prompts.length) {
      throw new RangeError(`askInteractive gave ${responses.length} answers to ${req.prompts.length} prompts`);
    }
    this.opts.send(encodeInfoResponse(responses));
  }

  /** Send the next request, or fail when nothing is left (ssh's authmethod_get loop). */
  private async next(): Promise<void> {
    for (;;) {
      if (this.current === undefined || !this.serverMethods.includes(this.current)) {
        const name = this.preferred
          .slice(this.prefIndex)
          .find((m) => IMPLEMENTED.has(m) && this.serverMethods.includes(m));
        if (name === undefined) throw new AuthFailedError(this.serverMethods);
        this.prefIndex = this.preferred.indexOf(name) + 1;
        this.current = name;
        this.log.debug(`Next authentication method: ${name}`);
      }
      if (await this.tryMethod(this.current)) return;
      this.current = undefined;
    }
  }

  /** Send one request of `method`; false when it has nothing (left) to try. */
  private async tryMethod(method: string): Promise<boolean> {
    switch (method) {
      case 'publickey':
        return this.tryPublickey();
      case 'password':
        return this.tryPassword();
      case 'keyboard-interactive':
        return this.tryKbdint();
      default:
        return false;
    }
  }

  private async tryPublickey(): Promise<boolean> {
    this.identities ??= [...((await this.opts.credentials.identities?.()) ?? [])];
    while (this.identityIndex < this.identities.length) {
      const next = this.identities[this.identityIndex++];
      if ('load' in next) {
        if (await this.tryDeferred(next)) return true;
        continue;
      }
      const identity = next;
      const key = identity.publicKey;
      if (this.acceptedKeys.some((k) => bytesEqual(k.blob, key.blob))) continue;
      const algorithm = this.signatureAlgorithm(key);
      if (algorithm === undefined) {
        this.log.debug(`Skipping ${keyLogText(key)}: no acceptable signature algorithm`);
        continue;
      }
      this.log.debug(`Offering public key: ${keyLogText(key)} ${identity.comment ?? ''}`.trimEnd());
      this.request({ method: 'publickey', algorithm, blob: key.blob });
      this.pending = { kind: 'publickey-query', identity, algorithm };
      return true;
    }
    return false;
  }

  /** A key read only now: signed at once, without asking the server first (as ssh does for these). */
  private async tryDeferred(deferred: DeferredClientIdentity): Promise<boolean> {
    this.log.debug(`Trying private key: ${deferred.comment}`);
    let identity: ClientIdentity | undefined;
    try {
      identity = await deferred.load();
    } catch (e) {
      this.log.debug(`${deferred.comment}: ${(e as Error).message}`);
      return false;
    }
    if (!identity) return false;
    const key = identity.publicKey;
    if (this.acceptedKeys.some((k) => bytesEqual(k.blob, key.blob))) return false;
    const algorithm = this.signatureAlgorithm(key);
    if (algorithm === undefined) {
      this.log.debug(`Skipping ${keyLogText(key)}: no acceptable signature algorithm`);
      return false;
    }
    return this.sendSigned(identity, algorithm);
  }

  /** The key's first algorithm we accept, preferring those in the server's server-sig-algs when it sent one. */
  private signatureAlgorithm(key: PublicKey): string | undefined {
    const ours = this.opts.pubkeyAcceptedAlgorithms;
    const usable = key.signatureAlgorithms.filter((a) => !ours || ours.includes(a));
    const server = this.serverSigAlgs;
    return (server && usable.find((a) => server.includes(a))) ?? usable[0];
  }

  private async tryPassword(): Promise<boolean> {
    const ask = this.opts.credentials.askPassword;
    if (!ask || this.passwordDeclined || this.passwordAttempts >= this.maxPrompts) return false;
    const { username, host } = this.opts;
    const prompt = host === undefined ? `${username}'s password: ` : `${username}@${host}'s password: `;
    const password = await ask(prompt, this.passwordAttempts++);
    if (password === undefined) {
      this.passwordDeclined = true;
      return false;
    }
    this.request({ method: 'password', password });
    this.pending = { kind: 'password', password };
    return true;
  }

  private async tryKbdint(): Promise<boolean> {
    if (!this.opts.credentials.askInteractive || this.kbdintDeclined) return false;
    if (this.kbdintAttempts++ >= this.maxPrompts) return false;
    this.request({ method: 'keyboard-interactive', language: '', submethods: this.opts.kbdInteractiveDevices ?? '' });
    this.pending = { kind: 'keyboard-interactive' };
    return true;
  }
}

function methodOf(p: Pending): string {
  switch (p.kind) {
    case 'publickey-query':
    case 'publickey-signed':
      return 'publickey';
    case 'none':
    case 'password':
    case 'keyboard-interactive':
    case 'idle':
    case 'done':
    case 'dead':
      return p.kind;
    default:
      return assertNever(p);
  }
}
