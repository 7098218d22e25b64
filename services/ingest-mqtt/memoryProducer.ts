import type { BusProducer, OutgoingRecord } from '../../shared/bus/bus.js';

/**
 * An in-memory BusProducer for ingest specs: records what was sent per topic, and can hold sends
 * (to test that nothing is acknowledged before the bus has it) or make them fail.
 */
export class MemoryProducer implements BusProducer {
  readonly sent = new Map<string, OutgoingRecord[]>();
  sends = 0;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  failNext = 0;

  records(topic: string): OutgoingRecord[] {
    return this.sent.get(topic) ?? [];
  }

  /** Sends wait until `release()`. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    this.sends++;
    if (this.gate) await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('bus unavailable (simulated)');
    }
    const list = this.sent.get(topic) ?? [];
    list.push(...records);
    this.sent.set(topic, list);
  }

  async close(): Promise<void> {}
}
