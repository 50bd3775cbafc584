// Admission control in the listener, before any worker exists: per-source penalties first, then MaxStartups'
// random early drop and PerSourceMaxStartups over the connections not yet authenticated. A refused client
// gets sshd's one-line notice and the connection is closed; the drop is logged as sshd logs it, rate-limited.
import { randomInt } from 'node:crypto';
import type { MaxStartups } from '@tssh/ssh-protocol/config';
import type { ServerLogger } from './log.js';
import type { PenaltyBox } from './penalty-box.js';
import { sourceBlock } from './source-block.js';
import type { NetBlockSize } from './source-block.js';
import { shouldDrop, StartupTable } from './startups.js';

export interface AdmissionSettings {
  maxStartups: MaxStartups;
  /** Undefined: no per-source limit. */
  perSourceMaxStartups: number | undefined;
  netBlock: NetBlockSize;
}

export interface ConnectionAddresses {
  peerAddress: string;
  peerPort: number;
  localAddress: string;
  localPort: number;
}

export type AdmissionResult = { admitted: true; id: number } | { admitted: false; reason: string };

/** What sshd writes to a client it will not serve (best effort, before closing). */
export const REFUSAL_NOTICE = 'Not allowed at this time\r\n';

/** Log lines about drops: the first few of each kind per minute at INFO, the rest at DEBUG3 and counted. */
class DropLogLimit {
  #windowStart = -Infinity;
  #logged = 0;
  #suppressed = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Whether this drop is logged at INFO, and how many were suppressed since the last one that was. */
  next(): { loud: boolean; suppressed: number } {
    const now = this.now();
    if (now - this.#windowStart >= 60) {
      this.#windowStart = now;
      this.#logged = 0;
    }
    if (this.#logged < this.perMinute) {
      this.#logged++;
      const suppressed = this.#suppressed;
      this.#suppressed = 0;
      return { loud: true, suppressed };
    }
    this.#suppressed++;
    return { loud: false, suppressed: 0 };
  }
}

export class Admission {
  #settings: AdmissionSettings;
  #nextId = 1;
  readonly startups = new StartupTable();
  readonly #maxStartupsLog: DropLogLimit;
  readonly #penaltyLog: DropLogLimit;

  constructor(
    settings: AdmissionSettings,
    private readonly penalties: PenaltyBox,
    private readonly log: ServerLogger,
    private readonly random: () => number = () => randomInt(100),
    now: () => number = () => performance.now() / 1000,
  ) {
    this.#settings = settings;
    this.#maxStartupsLog = new DropLogLimit(20, now);
    this.#penaltyLog = new DropLogLimit(30, now);
  }

  configure(settings: AdmissionSettings): void {
    this.#settings = settings;
  }

  /** Decides on a new connection; an admitted one counts as a startup until `settled`. */
  admit(c: ConnectionAddresses): AdmissionResult {
    const startups = this.startups.size;
    const penalty = this.penalties.refusal(c.peerAddress);
    if (penalty !== undefined) return this.drop(c, startups, 'PerSourcePenalties', penalty);
    if (shouldDrop(startups, this.#settings.maxStartups, this.random)) return this.drop(c, startups, 'Maxstartups', 'Maxstartups');
    const block = sourceBlock(c.peerAddress, this.#settings.netBlock)?.key;
    const perSource = this.#settings.perSourceMaxStartups;
    if (perSource !== undefined && block !== undefined) {
      const count = this.startups.countFor(block);
      this.log.debug3(`srclimit_check_allow: new unauthenticated connection from ${block}, at ${count} of ${perSource}`);
      if (count >= perSource) return this.drop(c, startups, 'Maxstartups', 'PerSourceMaxStartups');
    }
    const id = this.#nextId++;
    this.startups.add(id, block);
    return { admitted: true, id };
  }

  /** The connection authenticated or ended: it no longer counts against MaxStartups. */
  settled(id: number): void {
    this.startups.remove(id);
  }

  private drop(c: ConnectionAddresses, startups: number, kind: 'PerSourcePenalties' | 'Maxstartups', reason: string): AdmissionResult {
    const limit = kind === 'PerSourcePenalties' ? this.#penaltyLog : this.#maxStartupsLog;
    const { loud, suppressed } = limit.next();
    const text =
      `drop connection #${startups} from [${c.peerAddress}]:${c.peerPort} on [${c.localAddress}]:${c.localPort} ${reason}`;
    const fields = { ...c, startups, reason };
    if (loud) this.log.info(text, fields);
    else this.log.debug3(text, fields);
    if (suppressed > 0) this.log.info(`${kind} logging rate-limited: additional ${suppressed} connections dropped`);
    return { admitted: false, reason };
  }
}
