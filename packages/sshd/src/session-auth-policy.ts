// The AuthPolicy of tsshd-session: who may log in and with what, from sshd_config, the account database and
// the user's authorized_keys.
import type { AuthPolicy } from '@tssh/ssh-protocol/auth';
import { authorizedKeysPaths, checkUserAccess, type SshdConfig } from '@tssh/ssh-protocol/config';
import type { AuthorizedKeyEntry, PublicKey } from '@tssh/ssh-protocol/keys';
import type { Logger } from '@tssh/ssh-protocol/wire';
import { groupsOf, isDirectory, lookupAccount, type Account } from './accounts.js';
import { findAuthorizingEntry } from './authorized-keys-check.js';

export interface PolicyContext {
  config: SshdConfig;
  clientAddress: string;
  clientPort: number;
  log: Logger;
  /** When not running as root: the only account that can log in (ours). */
  onlyUser?: string;
  acceptedAlgorithms: readonly string[];
  now(): number;
}

export class SessionAuthPolicy implements AuthPolicy {
  readonly acceptedAlgorithms: readonly string[];
  /** The account of the user being authenticated, once known and valid. */
  account: Account | undefined;
  /** The authorized_keys entry of the key that succeeded last: its options govern the session. */
  keyEntry: AuthorizedKeyEntry | undefined;
  private readonly entries = new Map<string, AuthorizedKeyEntry>();

  constructor(private readonly ctx: PolicyContext) {
    this.acceptedAlgorithms = ctx.acceptedAlgorithms;
  }

  userValid(user: string): boolean {
    const { config, log, clientAddress, clientPort } = this.ctx;
    const account = lookupAccount(user);
    if (!account) return false;
    if (this.ctx.onlyUser !== undefined && user !== this.ctx.onlyUser) {
      log.info(`User ${user} not allowed: tsshd-session runs as ${this.ctx.onlyUser} and can serve only that user`);
      return false;
    }
    if (!isDirectory(account.home)) {
      log.info(`User ${user} not allowed because home directory ${account.home} does not exist`);
      return false;
    }
    if (account.uid === 0 && config.permitRootLogin === 'no') {
      log.info(`ROOT LOGIN REFUSED FROM ${clientAddress} port ${clientPort}`);
      return false;
    }
    const needGroups = config.allowGroups.length > 0 || config.denyGroups.length > 0;
    const access = checkUserAccess(config, {
      user,
      groups: needGroups ? groupsOf(user) : [],
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
    const { config } = this.ctx;
    const enabled = config.pubkeyAuthentication ? ['publickey'] : [];
    if (config.authenticationMethods === 'any') return enabled.map((m) => [m]);
    // Lists naming a method we cannot run are dropped by the state machine.
    return config.authenticationMethods.map((l) => [...l]);
  }

  checkPublicKey(user: string, key: PublicKey): boolean {
    const account = this.account;
    if (!account || account.name !== user || !this.ctx.config.pubkeyAuthentication) return false;
    const entry = findAuthorizingEntry(key, {
      account,
      files: authorizedKeysPaths(this.ctx.config, account),
      strictModes: this.ctx.config.strictModes,
      clientAddress: this.ctx.clientAddress,
      now: this.ctx.now(),
      log: this.ctx.log,
    });
    if (!entry) return false;
    if (account.uid === 0 && this.ctx.config.permitRootLogin === 'forced-commands-only' && entry.options.command === undefined) {
      this.ctx.log.info(`Root login accepted only with a forced command; key at ${entry.file}:${entry.line} has none`);
      return false;
    }
    this.entries.set(Buffer.from(key.blob).toString('base64'), entry);
    return true;
  }

  /** Called once authentication is over, with the key that succeeded last. */
  settle(key: PublicKey | undefined): void {
    this.keyEntry = key ? this.entries.get(Buffer.from(key.blob).toString('base64')) : undefined;
  }
}
