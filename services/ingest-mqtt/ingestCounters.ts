import { deadLetterReasons, type DeadLetterReason } from '../../shared/deadLetters/deadLetter.js';
import type { IngestStats } from './ingestService.js';

const RECEIVED = 0;
const VALID = 1;
const ACKED = 2;
const ACK_SKIPPED = 3;
const DEAD = 4; // one slot per reason from here, in deadLetterReasons order
const SLOTS = DEAD + deadLetterReasons.length;

/**
 * The ingest's counts in one Float64Array, which may live in a SharedArrayBuffer: the ingest thread
 * counts into it and the pipeline's thread reads it, always current and without messages. One
 * writer; aligned 8-byte stores and loads, so a reader sees each count whole.
 */
export class IngestCounters {
  static readonly BYTES = SLOTS * Float64Array.BYTES_PER_ELEMENT;
  private readonly v: Float64Array;

  constructor(buffer: ArrayBufferLike = new ArrayBuffer(IngestCounters.BYTES)) {
    if (buffer.byteLength < IngestCounters.BYTES) throw new RangeError(`IngestCounters needs ${IngestCounters.BYTES} bytes, got ${buffer.byteLength}`);
    this.v = new Float64Array(buffer, 0, SLOTS);
  }

  get buffer(): ArrayBufferLike {
    return this.v.buffer;
  }

  received(): void {
    this.v[RECEIVED]++;
  }

  /** a batch became durable and was acknowledged */
  acknowledged(valid: number, deadByReason: ReadonlyMap<DeadLetterReason, number>, acked: number, skipped: number): void {
    for (const [reason, n] of deadByReason) this.v[DEAD + deadLetterReasons.indexOf(reason)] += n;
    this.v[ACKED] += acked;
    this.v[ACK_SKIPPED] += skipped;
    // last, so a reader never sees more valid events than received ones
    this.v[VALID] += valid;
  }

  /**
   * With `receivedWhenDurable`, a message counts as received only once its batch is durable (valid
   * plus dead letters), and the ones that arrived before that are `pending`. A reader in another
   * thread needs that: it may look between a message's arrival and its append, which a reader on the
   * ingest's own event loop never sees (the append runs before any timer), so "received = published
   * and the worker has every valid event" keeps meaning everything is on the bus.
   */
  stats(options: { receivedWhenDurable?: boolean } = {}): IngestStats {
    const v = this.v;
    const deadLetters = Object.fromEntries(deadLetterReasons.map((r, i) => [r, v[DEAD + i]])) as Record<DeadLetterReason, number>;
    // valid last: it is written last
    const arrived = v[RECEIVED];
    const dead = deadLetterReasons.reduce((sum, _, i) => sum + v[DEAD + i], 0);
    const valid = v[VALID];
    const durable = Math.min(arrived, valid + dead);
    // every received message is pending until its batch is durable and acknowledged
    const pending = Math.max(0, arrived - durable);
    return { received: options.receivedWhenDurable ? durable : arrived, valid, deadLetters, acked: v[ACKED], ackSkipped: v[ACK_SKIPPED], pending };
  }
}
