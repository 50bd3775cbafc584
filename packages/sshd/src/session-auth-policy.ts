// The AuthPolicy of tsshd-session: who may log in and with what, from sshd_config, the account and shadow
// databases and the user's authorized_keys. Methods: publickey, password, keyboard-interactive ("Password: ").
import type { AuthPolicy, KbdintConversation } from '@tssh/ssh-protocol/auth';
import { authorizedKeysPaths, checkUserAccess, resolveForConnection, type SshdConfig } from '@tssh/ssh-protocol/config';
import type { AuthorizedKeyEntry, PublicKey } from '@tssh/ssh-protocol/keys';
import type { Logger } from '@tssh/ssh-protocol/wire';
import { groupsOf, isDirectory, lookupAccount, type Account } from './accounts.js';
import { findAuthorizingEntry } from './authorized-keys-check.js';
import { readLastLogin, writeLastLogin, type LastLogin } from './lastlog.js';
import { FailureDelay } from './failure-delay.js';
import { checkSystemPassword } from './password-check.js';
import { PasswordConversation } from './password-conversation.js';
import { accountExpired, accountLocked, lookupShadow, shadowDay, type ShadowEntry } from './shadow.js';

export interface PolicyContext {
  config: SshdConfig;
  clientAddress: string;
  clientPort: number;
  /** Where the client connected to (for Match LocalAddress / LocalPort). */
  localAddress?: string;
  localPort?: number;
  log: Logger;
  /** When not running as root: the only account that can log in (ours). */
  onlyUser?: string;
  acceptedAlgorithms: readonly string[];
  now(): number;
  /** The shadow database; `getent shadow` by default. */
  readShadow?(name: string): ShadowEntry | undefined;
  failureDelay?: FailureDelay;
}

/** The method names a config enables, in the order sshd offers them. */
function enabledMethods(config: SshdConfig): Set<string> {
  const on = new Set<string>();
  if (config.pubkeyAuthentication) on.add('publickey');
  if (config.passwordAuthentication) on.add('password');
  if (config.kbdInteractiveAuthentication) on.add('keyboard-interactive');
  return on;
}

export class SessionAuthPolicy implements AuthPolicy {
  readonly acceptedAlgorithms: readonly string[];
  /** The account of the user being authenticated, once known and valid. */
  account: Account | undefined;
  /** The authorized_keys entry of the key that succeeded last: its options govern the session. */
  keyEntry: AuthorizedKeyEntry | undefined;
  /** The user's previous login, as lastlog had it before this one was recorded. */
  lastLogin: LastLogin | undefined;
  /** The configuration for this connection: the global one, then with the Match blocks for the user applied. */
  config: SshdConfig;
  private readonly entries = new Map<string, AuthorizedKeyEntry>();
  private readonly delay: FailureDelay;
  private readonly readShadow: (name: string) => ShadowEntry | undefined;

  constructor(private readonly ctx: PolicyContext) {
    this.acceptedAlgorithms = ctx.acceptedAlgorithms;
    this.config = ctx.config;
    this.delay = ctx.failureDelay ?? new FailureDelay();
    this.readShadow = ctx.readShadow ?? lookupShadow;
  }

  private get from(): string {
    return `${this.ctx.clientAddress} port ${this.ctx.clientPort}`;
  }

  userValid(user: string): boolean {
    const { log, clientAddress } = this.ctx;
    const account = lookupAccount(user);
    if (!account) return false;
    // sshd re-reads its Match blocks once the user is known (Match User / Group / Address / LocalPort ...).
    const groups = groupsOf(user);
    const config = resolveForConnection(this.config, {
      user,
      host: clientAddress,
      address: clientAddress,
      localAddress: this.ctx.localAddress,
      localPort: this.ctx.localPort,
      groups,
    });
    this.config = config;
    if (this.ctx.onlyUser !== undefined && user !== this.ctx.onlyUser) {
      log.info(`User ${user} not allowed: tsshd-session runs as ${this.ctx.onlyUser} and can serve only that user`);
      return false;
    }
    // auth.c allowed_user: shadow expiry and locks (only readable as root, as for sshd).
    const shadow = this.readShadow(user);
    if (shadow && accountExpired(shadow, shadowDay(this.ctx.now()))) {
      log.info(`Account ${user} has expired`);
      return false;
    }
    if (shadow && accountLocked(shadow)) {
      log.info(`User ${user} not allowed because account is locked`);
      return false;
    }
    if (!isDirectory(account.home)) {
      log.info(`User ${user} not allowed because home directory ${account.home} does not exist`);
      return false;
    }
    const access = checkUserAccess(config, {
      user,
      groups,
      host: clientAddress,
      address: clientAddress,
    });
    if (!access.allowed) {
      log.info(access.reason);
      return false;
    }
    this.account = account;
    return true;
  }

  methodsFor(): string[][] {
    const config = this.config;
    const enabled = enabledMethods(config);
    if (config.authenticationMethods === 'any') return [...enabled].map((m) => [m]);
    // A list naming a disabled method can never be completed (sshd refuses it the same way). "method:sub"
    // names a submethod; ours have none, so the method stands for itself.
    return config.authenticationMethods
      .map((l) => l.map((m) => m.split(':')[0]))
      .filter((l) => l.every((m) => enabled.has(m)));
  }

  async checkPublicKey(user: string, key: PublicKey): Promise<boolean> {
    const start = this.delay.start();
    const entry = this.authorizingEntry(user, key);
    if (!entry) {
      await this.delay.pad(user, start);
      return false;
    }
    this.entries.set(Buffer.from(key.blob).toString('base64'), entry);
    return true;
  }

  private authorizingEntry(user: string, key: PublicKey): AuthorizedKeyEntry | undefined {
    const account = this.account;
    const { config } = this;
    const { log } = this.ctx;
    if (!account || account.name !== user || !config.pubkeyAuthentication) return undefined;
    const entry = findAuthorizingEntry(key, {
      account,
      files: authorizedKeysPaths(config, account),
      strictModes: config.strictModes,
      clientAddress: this.ctx.clientAddress,
      now: this.ctx.now(),
      log,
    });
    if (!entry || account.uid !== 0) return entry;
    // auth_root_allowed for publickey.
    if (config.permitRootLogin === 'no') {
      log.info(`ROOT LOGIN REFUSED FROM ${this.from}`);
      return undefined;
    }
    if (config.permitRootLogin === 'forced-commands-only' && entry.options.command === undefined) {
      log.info(`Root login accepted for forced command only; key at ${entry.file}:${entry.line} has none: ROOT LOGIN REFUSED FROM ${this.from}`);
      return undefined;
    }
    return entry;
  }

  async checkPassword(user: string, password: string): Promise<boolean> {
    if (!this.config.passwordAuthentication) return false;
    return this.systemPassword(user, password);
  }

  keyboardInteractive(user: string): KbdintConversation | undefined {
    if (!this.config.kbdInteractiveAuthentication) return undefined;
    return new PasswordConversation((password) => this.systemPassword(user, password));
  }

  private async systemPassword(user: string, password: string): Promise<boolean> {
    const start = this.delay.start();
    const { config } = this;
    const { log } = this.ctx;
    const account = this.account?.name === user ? this.account : undefined;
    const ok = checkSystemPassword(account, password, {
      permitEmptyPasswords: config.permitEmptyPasswords,
      permitRootLogin: config.permitRootLogin,
      log,
      now: this.ctx.now,
      from: this.from,
      readShadow: this.readShadow,
    });
    if (!ok) await this.delay.pad(user, start);
    return ok;
  }

  /**
   * Called once authentication is over, with the key that succeeded last, while still root: the login goes into
   * lastlog (when the system keeps one), after the previous one was read for PrintLastLog.
   */
  settle(key: PublicKey | undefined): void {
    this.keyEntry = key ? this.entries.get(Buffer.from(key.blob).toString('base64')) : undefined;
    const account = this.account;
    if (!account) return;
    this.lastLogin = readLastLogin(account.uid);
    writeLastLogin(account.uid, { time: Math.floor(this.ctx.now() / 1000), line: 'ssh', host: this.ctx.clientAddress });
  }
}
