import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BusRecord } from '../bus.js';
import { EmbeddedBus } from './embeddedBus.js';
import type { EmbeddedConsumer } from './embeddedConsumer.js';

type Op =
  | { kind: 'send'; topic: 'a' | 'b'; keys: number[] }
  | { kind: 'poll'; group: 0 | 1; max: number }
  | { kind: 'commit'; group: 0 | 1 }
  | { kind: 'restart'; group: 0 | 1; commitFirst: boolean }
  | { kind: 'compact' };

const group = fc.constantFrom(0 as const, 1 as const);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), topic: fc.constantFrom('a' as const, 'b' as const), keys: fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 12 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('poll' as const), group, max: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('commit' as const), group }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), group, commitFirst: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const) }) },
);

const tp = (r: { topic: string; partition: number }) => `${r.topic}/${r.partition}`;

/**
 * Model-based: a random interleaving of sends, polls, commits, consumer restarts (with or without a
 * final commit, i.e. a clean stop or a crash) and retention runs, for two consumer groups. Checks,
 * against a model of committed offsets and read positions:
 * - every poll returns, per partition, a gap-free run starting exactly at the model's position
 *   (so a crash replays from the committed offset, and retention never deletes what a group needs);
 * - at the end every group has read every record, in per-key send order, and exactly once per group
 *   when no consumer crashed without committing.
 */
describe('EmbeddedBus (property)', () => {
  it('delivers everything sent exactly once per group, in per-key order, across restarts and retention', async () => {
    // so the property provably exercised retention with a backlog left behind the deleted records
    let deletedWithBacklog = 0;
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 80, size: 'max' }), fc.integer({ min: 1, max: 4 }), async (ops, partitions) => {
      const dir = mkdtempSync(join(tmpdir(), 'driftline-bus-prop-'));
      const bus = new EmbeddedBus({ path: join(dir, 'bus.sqlite'), partitions, synchronous: 'NORMAL', retentionIntervalMs: 0 });
      try {
        const producer = await bus.producer();
        const sent: { topic: string; key: string; value: string }[] = [];
        const consumers: EmbeddedConsumer[] = [];
        const position: Map<string, number>[] = [new Map(), new Map()];
        const committed: Map<string, number>[] = [new Map(), new Map()];
        const delivered: BusRecord[][] = [[], []];
        const crashed = [false, false];
        const join_ = async (g: 0 | 1) => { consumers[g] = await bus.consumer({ group: `g${g}`, topics: ['a', 'b'] }); };
        await join_(0);
        await join_(1);

        const poll = async (g: 0 | 1, max: number) => {
          const records = await consumers[g].poll({ maxRecords: max, timeoutMs: 0 });
          expect(records.length).toBeLessThanOrEqual(max);
          const byPartition = new Map<string, number[]>();
          for (const r of records) byPartition.set(tp(r), [...(byPartition.get(tp(r)) ?? []), r.offset]);
          for (const [p, offsets] of byPartition) {
            const from = position[g].get(p) ?? 0;
            expect(offsets).toEqual(offsets.map((_, i) => from + i));
            position[g].set(p, from + offsets.length);
          }
          delivered[g].push(...records);
          return records.length;
        };
        const commit = async (g: 0 | 1) => {
          await consumers[g].commit([...position[g]].map(([p, offset]) => {
            const [topic, partition] = p.split('/');
            return { topic, partition: Number(partition), offset };
          }));
          for (const [p, o] of position[g]) committed[g].set(p, o);
        };

        for (const o of ops) {
          if (o.kind === 'send') {
            // values are unique: the record's index in `sent`
            const records = o.keys.map((k, i) => ({ key: `k${k}`, value: String(sent.length + i) }));
            await producer.send(o.topic, records);
            sent.push(...records.map((r) => ({ topic: o.topic, ...r })));
          } else if (o.kind === 'poll') await poll(o.group, o.max);
          else if (o.kind === 'commit') await commit(o.group);
          else if (o.kind === 'restart') {
            if (o.commitFirst) await commit(o.group);
            else if ([...position[o.group]].some(([p, v]) => (committed[o.group].get(p) ?? 0) !== v)) crashed[o.group] = true;
            await consumers[o.group].close();
            await join_(o.group);
            position[o.group] = new Map(committed[o.group]);
          } else {
            const { deleted } = bus.compact();
            const backlog = bus.endOffsets('a').concat(bus.endOffsets('b')).reduce((x, y) => x + y, 0) -
              Math.min(...[0, 1].map((g) => [...committed[g].values()].reduce((x, y) => x + y, 0)));
            if (deleted > 0 && backlog > 0) deletedWithBacklog++;
          }
        }

        for (const g of [0, 1] as const) {
          while (await poll(g, 50) > 0);
          const firstDeliveries = new Map<string, BusRecord>();
          for (const r of delivered[g]) if (!firstDeliveries.has(`${tp(r)}/${r.offset}`)) firstDeliveries.set(`${tp(r)}/${r.offset}`, r);
          const unique = [...firstDeliveries.values()];
          if (!crashed[g]) expect(delivered[g]).toHaveLength(sent.length);
          expect(unique.map((r) => r.value).sort()).toEqual(sent.map((s) => s.value).sort());
          for (const key of new Set(sent.map((s) => `${s.topic}/${s.key}`))) {
            const expected = sent.filter((s) => `${s.topic}/${s.key}` === key).map((s) => s.value);
            expect(unique.filter((r) => `${r.topic}/${r.key}` === key).map((r) => r.value)).toEqual(expected);
          }
        }
      } finally {
        await bus.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }), { numRuns: 100 });
    expect(deletedWithBacklog).toBeGreaterThan(10);
  });
});
