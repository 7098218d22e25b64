import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusRecord } from '../bus.js';
import { EmbeddedBus } from './embeddedBus.js';
import { spawnBusChild, type BusChild } from './fixtures/childProcess.js';
import { GroupBusyError } from './groupMembership.js';

// These specs run the bus in separate Node processes (spawned through tsx), as `driftline ingest`
// and `driftline worker` share one log file.

let dir: string;
let file: string;
const children: BusChild[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-bus-proc-'));
  file = join(dir, 'bus.sqlite');
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
function child(args: string[]): BusChild {
  const c = spawnBusChild(args);
  children.push(c);
  return c;
}

interface Payload { b: number; i: number; n: number }

async function readAll(bus: EmbeddedBus, topic: string, group = `check-${Math.random()}`): Promise<BusRecord[]> {
  const consumer = await bus.consumer({ group, topics: [topic] });
  const out: BusRecord[] = [];
  for (;;) {
    const got = await consumer.poll({ maxRecords: 5000, timeoutMs: 0 });
    if (got.length === 0) break;
    out.push(...got);
  }
  await consumer.close();
  return out;
}

describe('EmbeddedBus across processes', () => {
  it('a producer process and a consumer process share the log: every record arrives once, in key order, and is committed', async () => {
    const consumer = child(['consume', file, 'workers', 'positions', '2000']);
    const producer = child(['produce', file, 'positions', '40', '50', '13']);
    await producer.waitFor((l) => l === 'done');
    await consumer.waitFor((l) => l === 'done');
    const records = consumer.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { partition: number; offset: number; key: string; value: string });
    expect(records).toHaveLength(2000);
    expect(new Set(records.map((r) => `${r.partition}/${r.offset}`)).size).toBe(2000);
    const byKey = new Map<string, number[]>();
    for (const r of records) {
      const p = JSON.parse(r.value) as Payload;
      byKey.set(r.key, [...(byKey.get(r.key) ?? []), p.b * p.n + p.i]);
    }
    expect(byKey.size).toBe(13);
    for (const seq of byKey.values()) expect(seq).toEqual([...seq].sort((a, b) => a - b));
    const bus = new EmbeddedBus({ path: file, retentionIntervalMs: 0 });
    expect(bus.lag('workers').reduce((a, p) => a + p.lag, 0)).toBe(0);
    await bus.close();
  });

  it('kill -9 of a producer mid-append leaves a consistent log holding every acknowledged send, whole', async () => {
    for (let round = 0; round < 3; round++) {
      const topic = `crash-${round}`;
      const producer = child(['produce', file, topic, '0', '400', '17']);
      await producer.waitFor((l) => l === 'acked 3');
      await new Promise((r) => setTimeout(r, 20 + round * 37));
      producer.process.kill('SIGKILL');
      const { signal } = await producer.exited;
      expect(signal).toBe('SIGKILL');
      const acked = Math.max(...producer.lines.filter((l) => l.startsWith('acked ')).map((l) => Number(l.slice(6))));

      const raw = new Database(file);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
      const bus = new EmbeddedBus({ path: file, retentionIntervalMs: 0 });
      const records = await readAll(bus, topic);
      const batches = new Map<number, number[]>();
      for (const r of records) {
        const p = JSON.parse(r.value) as Payload;
        batches.set(p.b, [...(batches.get(p.b) ?? []), p.i]);
      }
      const stored = [...batches.keys()].sort((a, b) => a - b);
      // sends are sequential, so the stored batches are 0..k with k >= the last acknowledged one
      expect(stored).toEqual(stored.map((_, i) => i));
      expect(stored.length - 1).toBeGreaterThanOrEqual(acked);
      // every stored batch is whole: a send is all or nothing
      for (const is of batches.values()) expect(is.sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
      // offsets gap-free from 0 in every partition, and the log end agrees
      const ends = bus.endOffsets(topic);
      ends.forEach((end, p) => {
        const offsets = records.filter((r) => r.partition === p).map((r) => r.offset);
        expect(offsets).toEqual(Array.from({ length: end }, (_, i) => i));
      });
      await bus.close();
    }
  });

  it('a consumer killed with -9 leaves its group to a restarted consumer, which resumes at the committed offset', async () => {
    const producer = child(['produce', file, 't', '60', '50', '7']);
    await producer.waitFor((l) => l === 'done');
    const first = child(['consume', file, 'g', 't', '3000']);
    await first.waitFor((l) => first.lines.length >= 1200 || l === 'done');
    first.process.kill('SIGKILL');
    await first.exited;
    const seenBefore = first.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { partition: number; offset: number });

    const bus = new EmbeddedBus({ path: file, retentionIntervalMs: 0 });
    const committed = bus.lag('g');
    const consumer = await bus.consumer({ group: 'g', topics: ['t'] }); // takes over at once: the owner process is gone
    const rest: BusRecord[] = [];
    for (let got = await consumer.poll({ maxRecords: 5000, timeoutMs: 0 }); got.length; got = await consumer.poll({ maxRecords: 5000, timeoutMs: 0 })) rest.push(...got);
    for (const p of committed) {
      const resumed = rest.filter((r) => r.partition === p.partition).map((r) => r.offset);
      expect(resumed).toEqual(Array.from({ length: p.end - (p.committed ?? 0) }, (_, i) => (p.committed ?? 0) + i));
    }
    // nothing lost: what the killed consumer saw plus what the new one read covers every offset
    const union = new Set([...seenBefore, ...rest].map((r) => `${r.partition}/${r.offset}`));
    expect(union.size).toBe(3000);
    await bus.close();
  });

  it('refuses a second consumer of a group while the owner process lives, and takes over once it is killed', async () => {
    const holder = child(['hold', file, 'g', 't']);
    await holder.waitFor((l) => l === 'ready');
    const bus = new EmbeddedBus({ path: file, retentionIntervalMs: 0 });
    await expect(bus.consumer({ group: 'g', topics: ['t'] })).rejects.toThrow(GroupBusyError);
    await expect(bus.consumer({ group: 'g', topics: ['t'] })).rejects.toThrow(new RegExp(`process ${holder.process.pid}`));
    holder.process.kill('SIGKILL');
    await holder.exited;
    const consumer = await bus.consumer({ group: 'g', topics: ['t'] });
    expect(consumer.assignment()).toHaveLength(4);
    await bus.close();
  });
});
