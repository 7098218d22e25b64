/**
 * Drops repeats of an event a key already sent: AIS feeds deliver the same report through several
 * receivers, and an MQTT redelivery after an ingest crash appends a message the bus already holds.
 * An event repeats one when its key and event time equal one of the key's last `depth` events.
 * Bounded memory per key; part of the worker's checkpoint so a restart keeps the same verdicts.
 */
export class DuplicateFilter {
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly depth = 64) {}

  /** true if (key, eventTime) was seen among the key's recent events; otherwise remembers it */
  isDuplicate(key: string, eventTime: number): boolean {
    let times = this.recent.get(key);
    if (!times) this.recent.set(key, (times = []));
    if (times.includes(eventTime)) return true;
    times.push(eventTime);
    if (times.length > this.depth) times.shift();
    return false;
  }

  snapshot(): [string, number[]][] {
    return [...this.recent].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, [...v]]);
  }

  restore(entries: readonly (readonly [string, readonly number[]])[]): void {
    this.recent.clear();
    for (const [key, times] of entries) this.recent.set(key, [...times]);
  }
}
