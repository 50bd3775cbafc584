// PerSourcePenalties: a source network whose connections crash a worker, fail or never attempt authentication,
// or exceed LoginGraceTime collects penalty time; once that time exceeds `min` the source is refused until it
// runs out. Penalties add up to at most `max`. Follows OpenSSH's srclimit.c in behaviour and wording.
import { matchAddressList } from '@tssh/ssh-protocol/config';
import type { PenaltySettings } from '@tssh/ssh-protocol/config';
import type { ServerLogger } from './log.js';
import { sourceBlock } from './source-block.js';
import type { NetBlockSize } from './source-block.js';

export type PenaltyCause = 'crash' | 'authfail' | 'invaliduser' | 'noauth' | 'grace-exceeded' | 'refuseconnection';

const REASONS: Readonly<Record<PenaltyCause, string>> = Object.freeze({
  crash: 'penalty: caused crash',
  authfail: 'penalty: failed authentication',
  invaliduser: 'penalty: attempted authentication by invalid user',
  noauth: 'penalty: connections without attempting authentication',
  'grace-exceeded': 'penalty: exceeded LoginGraceTime',
  refuseconnection: 'penalty: connection prohibited by RefuseConnection',
});

const SECONDS: Readonly<Record<PenaltyCause, keyof PenaltySettings>> = Object.freeze({
  crash: 'crash',
  authfail: 'authfail',
  invaliduser: 'invaliduser',
  noauth: 'noauth',
  'grace-exceeded': 'graceExceeded',
  refuseconnection: 'refuseConnection',
});

export interface PenaltyPolicy {
  settings: PenaltySettings;
  netBlock: NetBlockSize;
  /** PerSourcePenaltyExemptList. */
  exempt: string | undefined;
}

/** A penalty as carried over to a restarted listener: seconds left rather than a clock reading. */
export interface PenaltyRecord {
  family: 4 | 6;
  key: string;
  secondsLeft: number;
  active: boolean;
  reason: string;
}

interface Penalty {
  expiry: number;
  active: boolean;
  reason: string;
}

export class PenaltyBox {
  #policy: PenaltyPolicy;
  readonly #tables = { 4: new Map<string, Penalty>(), 6: new Map<string, Penalty>() };
  readonly #swept = { 4: -Infinity, 6: -Infinity };

  constructor(
    policy: PenaltyPolicy,
    private readonly log: ServerLogger,
    /** Monotonic seconds. */
    private readonly now: () => number = () => performance.now() / 1000,
  ) {
    this.#policy = policy;
  }

  /** A reload: new settings apply to new penalties; the ones collected so far stay. */
  configure(policy: PenaltyPolicy): void {
    this.#policy = policy;
  }

  /** Why a connection from `address` must be refused now, or undefined when it may proceed. */
  refusal(address: string): string | undefined {
    const { settings } = this.#policy;
    if (!settings.enabled || this.exempt(address)) return undefined;
    const block = sourceBlock(address, this.#policy.netBlock);
    if (!block) return undefined;
    const now = this.now();
    const table = this.expire(block.family, now);
    const max = block.family === 4 ? settings.maxSources4 : settings.maxSources6;
    const overflow = block.family === 4 ? settings.overflow : settings.overflow6;
    if (table.size >= max && overflow === 'deny-all') return 'too many penalised addresses';
    const p = table.get(block.key);
    return p && p.active && p.expiry >= now ? p.reason : undefined;
  }

  /** Records that a connection from `address` ended badly. */
  penalise(address: string, cause: PenaltyCause): void {
    const { settings } = this.#policy;
    if (!settings.enabled) return;
    if (this.exempt(address)) {
      this.log.debug3(`srclimit_penalise: address ${address} is exempt`);
      return;
    }
    const seconds = settings[SECONDS[cause]] as number;
    const block = sourceBlock(address, this.#policy.netBlock);
    if (seconds <= 0 || !block) return;
    const t = block.family === 4 ? 'ipv4' : 'ipv6';
    const now = this.now();
    const table = this.expire(block.family, now);
    const reason = REASONS[cause];
    const found = table.get(block.key);
    const existing = found && found.expiry >= now ? found : undefined;
    if (!existing) {
      const max = block.family === 4 ? settings.maxSources4 : settings.maxSources6;
      const overflow = block.family === 4 ? settings.overflow : settings.overflow6;
      if (table.size >= max && overflow === 'deny-all') {
        this.log.verbose(`${t} penalty table full, cannot penalise ${block.key} for ${reason}`);
        return;
      }
      const active = seconds > settings.min;
      table.set(block.key, { expiry: now + seconds, active, reason });
      const text = `${t}: new ${block.key} ${active ? 'active' : 'deferred'} penalty of ${seconds.toFixed(3)} seconds for ${reason}`;
      if (active) this.log.info(text, { source: block.key, seconds, reason });
      else this.log.verbose(text, { source: block.key, seconds, reason });
      if (table.size > max) this.evictSoonest(table, max);
      return;
    }
    existing.expiry = Math.min(existing.expiry + seconds, now + settings.max);
    existing.reason = reason;
    const left = existing.expiry - now;
    if (!existing.active && left > settings.min) {
      existing.active = true;
      this.log.info(`${block.key}: activating ${t} penalty of ${left.toFixed(3)} seconds for ${reason}`, {
        source: block.key,
        seconds: left,
        reason,
      });
    }
  }

  /** The penalties in force, for a listener that takes over. */
  export(): PenaltyRecord[] {
    const now = this.now();
    const out: PenaltyRecord[] = [];
    for (const family of [4, 6] as const) {
      for (const [key, p] of this.expire(family, now)) {
        if (p.expiry >= now) out.push({ family, key, secondsLeft: p.expiry - now, active: p.active, reason: p.reason });
      }
    }
    return out;
  }

  /** Takes over penalties from the listener this one replaces. */
  import(records: readonly PenaltyRecord[]): void {
    const now = this.now();
    for (const r of records) {
      if (r.family !== 4 && r.family !== 6) continue;
      this.#tables[r.family].set(r.key, { expiry: now + r.secondsLeft, active: r.active, reason: r.reason });
    }
  }

  private exempt(address: string): boolean {
    const list = this.#policy.exempt;
    return list !== undefined && matchAddressList(address, list) === 1;
  }

  /** Drops expired penalties: a full pass at most once a second, so that a flood costs little per connection. */
  private expire(family: 4 | 6, now: number): Map<string, Penalty> {
    const table = this.#tables[family];
    if (now - this.#swept[family] < 1) return table;
    this.#swept[family] = now;
    for (const [key, p] of table) if (p.expiry < now) table.delete(key);
    return table;
  }

  private evictSoonest(table: Map<string, Penalty>, max: number): void {
    const byExpiry = [...table].sort((a, b) => a[1].expiry - b[1].expiry);
    for (const [key] of byExpiry.slice(0, table.size - max)) {
      this.log.debug3(`srclimit_early_expire_penalties: overflow, remove ${key}`);
      table.delete(key);
    }
  }
}
