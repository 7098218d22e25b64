/** One leased (pulled, not yet acknowledged) message. */
export interface Lease {
  readonly seq: number;
  readonly ackId: string;
}

/**
 * The messages of one subscription that this consumer holds, by sequence number: the stand-in for a
 * Kafka offset (Pub/Sub has none). Sequence numbers grow in delivery order, so "acknowledge everything
 * below offset N" is a prefix of the table.
 */
export class LeaseTable {
  private readonly leases: Lease[] = [];
  private next: number;

  /**
   * `base` is where numbering starts. The bus starts every consumer at wall-clock ms × 1000, so a new
   * consumer's numbers are above any an earlier consumer of the group handed out (unless that one took
   * more than 1000 messages per ms on average): a worker that restores a checkpoint recording "offset N
   * processed" then does not skip redelivered messages as already seen. Stays a safe integer until 2255.
   */
  constructor(base: number) {
    this.next = base;
  }

  add(ackId: string): number {
    const seq = this.next++;
    this.leases.push({ seq, ackId });
    return seq;
  }

  get size(): number {
    return this.leases.length;
  }

  /** Sequence number the next message gets (what committing "everything so far" looks like). */
  get nextSeq(): number {
    return this.next;
  }

  ackIds(): string[] {
    return this.leases.map((l) => l.ackId);
  }

  /** Leases with seq < offset, oldest first (not removed: see `remove`). */
  below(offset: number): Lease[] {
    let i = 0;
    while (i < this.leases.length && this.leases[i]!.seq < offset) i++;
    return this.leases.slice(0, i);
  }

  /** Drops the oldest `count` leases once their acknowledgement succeeded. */
  removeOldest(count: number): void {
    this.leases.splice(0, count);
  }

  clear(): Lease[] {
    return this.leases.splice(0, this.leases.length);
  }
}
