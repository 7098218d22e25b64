import type { VdmSentence } from './nmeaSentence.js';
import type { TagBlock } from './tagBlock.js';

/** A sentence with the input line it came from (1-based; 0 when the source has no line numbers). */
export interface Fragment {
  readonly sentence: VdmSentence;
  readonly line: number;
}

/** A complete AIS message: the payloads of all its fragments joined. */
export interface AssembledMessage {
  readonly payload: string;
  readonly fillBits: number;
  readonly fragments: readonly Fragment[];
  readonly channel: string;
  /** tag block of the first fragment that has one: receivers tag the first fragment */
  readonly tagBlock: TagBlock | null;
  /** arrival time of the first fragment, epoch ms */
  readonly arrivedAt: number;
}

/** Fragments that will never make a message, with the reason; they become dead letters. */
export interface FragmentDrop {
  readonly reason: string;
  readonly fragments: readonly Fragment[];
}

export interface FragmentAssemblerOptions {
  /** how long the first fragment waits for the rest (arrival time), default 10 s */
  readonly maxAgeMs?: number;
  /** bound on messages waiting for fragments, so a feed of orphans cannot grow memory, default 1024 */
  readonly maxPending?: number;
  readonly onDrop: (drop: FragmentDrop) => void;
}

interface Pending {
  readonly fragments: Fragment[];
  readonly firstAt: number;
}

/**
 * Reassembles multi-sentence AIS messages. Fragments are keyed by feed source, sequential message
 * id, channel and fragment count, so messages interleaved on one feed (or the same id on two feeds)
 * do not mix. Incomplete messages are dropped with a reason when superseded, out of order, too old
 * (`expire`) or when the input ends (`flush`) — never silently.
 */
export class FragmentAssembler {
  private readonly pending = new Map<string, Pending>();
  private readonly maxAgeMs: number;
  private readonly maxPending: number;
  private readonly onDrop: (drop: FragmentDrop) => void;
  private lastExpiry = -Infinity;

  constructor(options: FragmentAssemblerOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 10_000;
    this.maxPending = options.maxPending ?? 1024;
    this.onDrop = options.onDrop;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Adds one sentence; returns the message when it completes one, else null. */
  push(sentence: VdmSentence, source: string, arrivedAt: number, line = 0): AssembledMessage | null {
    const fragment: Fragment = { sentence, line };
    if (sentence.fragmentCount === 1) {
      return {
        payload: sentence.payload,
        fillBits: sentence.fillBits,
        fragments: [fragment],
        channel: sentence.channel,
        tagBlock: sentence.tagBlock,
        arrivedAt,
      };
    }
    if (arrivedAt - this.lastExpiry >= this.maxAgeMs / 2) this.expire(arrivedAt);

    const key = `${source}\u0000${sentence.sequenceId}\u0000${sentence.channel}\u0000${sentence.fragmentCount}`;
    const describe = `sequential id "${sentence.sequenceId}", channel "${sentence.channel}"`;
    let entry = this.pending.get(key);
    if (entry && arrivedAt - entry.firstAt > this.maxAgeMs) {
      this.drop(key, entry, `incomplete message expired: ${entry.fragments.length} of ${sentence.fragmentCount} fragments within ${this.maxAgeMs} ms`);
      entry = undefined;
    }

    if (sentence.fragmentNumber === 1) {
      if (entry) {
        this.drop(key, entry, `incomplete message superseded: a new fragment 1 with ${describe} arrived before fragment ${entry.fragments.length + 1} of ${sentence.fragmentCount}`);
      }
      if (this.pending.size >= this.maxPending) {
        const [oldestKey, oldest] = this.pending.entries().next().value as [string, Pending];
        this.drop(oldestKey, oldest, `incomplete message evicted: more than ${this.maxPending} messages waiting for fragments`);
      }
      this.pending.set(key, { fragments: [fragment], firstAt: arrivedAt });
      return null;
    }

    if (!entry) {
      this.onDrop({
        reason: `fragment ${sentence.fragmentNumber} of ${sentence.fragmentCount} (${describe}) arrived without fragment 1`,
        fragments: [fragment],
      });
      return null;
    }
    const expected = entry.fragments.length + 1;
    if (sentence.fragmentNumber !== expected) {
      this.pending.delete(key);
      this.onDrop({
        reason: `fragment ${sentence.fragmentNumber} of ${sentence.fragmentCount} (${describe}) arrived when fragment ${expected} was expected`,
        fragments: [...entry.fragments, fragment],
      });
      return null;
    }
    entry.fragments.push(fragment);
    if (expected < sentence.fragmentCount) return null;

    this.pending.delete(key);
    let payload = '';
    let tagBlock: TagBlock | null = null;
    for (const f of entry.fragments) {
      payload += f.sentence.payload;
      tagBlock ??= f.sentence.tagBlock;
    }
    return {
      payload,
      fillBits: sentence.fillBits,
      fragments: entry.fragments,
      channel: entry.fragments[0].sentence.channel,
      tagBlock,
      arrivedAt: entry.firstAt,
    };
  }

  /** Drops every incomplete message whose first fragment arrived more than maxAgeMs before `now`. */
  expire(now: number): void {
    this.lastExpiry = now;
    for (const [key, entry] of this.pending) {
      if (now - entry.firstAt > this.maxAgeMs) {
        const count = entry.fragments[0].sentence.fragmentCount;
        this.drop(key, entry, `incomplete message expired: ${entry.fragments.length} of ${count} fragments within ${this.maxAgeMs} ms`);
      }
    }
  }

  /** End of input: every message still waiting for fragments is dropped. */
  flush(): void {
    for (const [key, entry] of this.pending) {
      const count = entry.fragments[0].sentence.fragmentCount;
      this.drop(key, entry, `incomplete message at end of input: ${entry.fragments.length} of ${count} fragments`);
    }
  }

  private drop(key: string, entry: Pending, reason: string): void {
    this.pending.delete(key);
    this.onDrop({ reason, fragments: entry.fragments });
  }
}
