import type { BusConsumer, BusRecord, CommitOffset } from '../../shared/bus/bus.js';
import type { LoopHealth } from './loopHealth.js';

/**
 * A bus consumer that reports whether its polls and commits succeed to a LoopHealth, delegating
 * everything else (the optional `generation`, `delivery` and `lag` only when the bus has them, since
 * the runner treats their absence as meaningful).
 */
export function observeConsumer(inner: BusConsumer, health: LoopHealth): BusConsumer {
  const observed: BusConsumer = {
    async poll(options: { maxRecords: number; timeoutMs: number }): Promise<BusRecord[]> {
      try {
        const records = await inner.poll(options);
        health.succeeded('bus poll');
        return records;
      } catch (err) {
        health.failed('bus poll', err);
        throw err;
      }
    },
    async commit(offsets: readonly CommitOffset[]): Promise<void> {
      const generation = inner.generation?.();
      try {
        await inner.commit(offsets);
        health.succeeded('bus commit');
      } catch (err) {
        // Refused because the group rebalanced meanwhile: expected, the runner carries on from
        // the checkpoints; not a sign the loop is stuck.
        if (inner.generation?.() === generation) health.failed('bus commit', err);
        throw err;
      }
    },
    assignment: () => inner.assignment(),
    close: () => inner.close(),
    ...(inner.generation ? { generation: () => inner.generation!() } : {}),
    ...(inner.delivery ? { delivery: inner.delivery } : {}),
    ...(inner.lag ? { lag: () => inner.lag!() } : {}),
  };
  return observed;
}
