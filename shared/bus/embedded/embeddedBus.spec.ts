import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusRecord } from '../bus.js';
import { EmbeddedBus, type EmbeddedBusOptions } from './embeddedBus.js';
import { FencedError, GroupBusyError } from './groupMembership.js';
import { partitionFor } from './partitioner.js';

let dir: string;
let file: string;
const open: EmbeddedBus[] = [];
function bus(options: EmbeddedBusOptions = {}): EmbeddedBus {
  const b = new EmbeddedBus({ path: file, retentionIntervalMs: 0, ...options });
  open.push(b);
  return b;
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-bus-'));
  file = join(dir, 'bus.sqlite');
});
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  rmSync(dir, { recursive: true, force: true });
});

const rec = (key: string, value: string) => ({ key, value });

async function drain(consumer: Awaited<ReturnType<EmbeddedBus['consumer']>>, expected: number, timeoutMs = 5000): Promise<BusRecord[]> {
  const out: BusRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < expected && Date.now() < deadline) out.push(...await consumer.poll({ maxRecords: 100, timeoutMs: 200 }));
  return out;
}

function commitAll(records: readonly BusRecord[]) {
  const next = new Map<string, { topic: string; partition: number; offset: number }>();
  for (const r of records) next.set(`${r.topic}/${r.partition}`, { topic: r.topic, partition: r.partition, offset: r.offset + 1 });
  return [...next.values()];
}

describe('EmbeddedBus', () => {
  it('keeps what was sent across close and reopen', async () => {
    const first = bus();
    const producer = await first.producer();
    await producer.send('positions', [rec('a', '1'), rec('b', '2'), rec('a', '3')]);
    await first.close();

    const consumer = await bus().consumer({ group: 'g', topics: ['positions'] });
    const records = await drain(consumer, 3);
    expect(records.map((r) => [r.key, r.value]).sort()).toEqual([['a', '1'], ['a', '3'], ['b', '2']]);
    for (const r of records) {
      expect(r.partition).toBe(partitionFor(r.key, 4));
      expect(r.topic).toBe('positions');
      expect(typeof r.timestamp).toBe('number');
    }
  });

  it('stores the record timestamp given, or the append time', async () => {
    const b = bus();
    const before = Date.now();
    await (await b.producer()).send('t', [{ key: 'k', value: 'v', timestamp: 1234 }, rec('k', 'w')]);
    const records = await drain(await b.consumer({ group: 'g', topics: ['t'] }), 2);
    expect(records[0].timestamp).toBe(1234);
    expect(records[1].timestamp).toBeGreaterThanOrEqual(before);
  });

  it('keeps each key in order within its partition, with gap-free offsets', async () => {
    const b = bus({ partitions: 3 });
    const producer = await b.producer();
    const sent: [string, string][] = [];
    for (let batch = 0; batch < 20; batch++) {
      const records = Array.from({ length: 25 }, (_, i) => rec(`k${(batch * 7 + i) % 11}`, `${batch}:${i}`));
      sent.push(...records.map((r) => [r.key, r.value] as [string, string]));
      await producer.send('t', records);
    }
    const got = await drain(await b.consumer({ group: 'g', topics: ['t'] }), 500);
    expect(got).toHaveLength(500);
    for (const key of new Set(sent.map(([k]) => k))) {
      expect(got.filter((r) => r.key === key).map((r) => r.value)).toEqual(sent.filter(([k]) => k === key).map(([, v]) => v));
    }
    for (let p = 0; p < 3; p++) {
      const offsets = got.filter((r) => r.partition === p).map((r) => r.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    expect(b.endOffsets('t').reduce((a, n) => a + n, 0)).toBe(500);
  });

  it('after a restart, replays from the committed offset: nothing committed is redelivered, nothing uncommitted is lost', async () => {
    const first = bus();
    await (await first.producer()).send('t', Array.from({ length: 40 }, (_, i) => rec(`k${i % 5}`, String(i))));
    const c1 = await first.consumer({ group: 'g', topics: ['t'] });
    const seen = await c1.poll({ maxRecords: 15, timeoutMs: 1000 });
    expect(seen).toHaveLength(15);
    await c1.commit(commitAll(seen.slice(0, 10)));
    const further = await c1.poll({ maxRecords: 10, timeoutMs: 1000 }); // read but never committed
    expect(further.length).toBeGreaterThan(0);
    await first.close(); // as a crash would: positions are lost, the commit is not

    const c2 = await bus().consumer({ group: 'g', topics: ['t'] });
    const replay = await drain(c2, 30);
    const committed = new Set(seen.slice(0, 10).map((r) => r.value));
    expect(replay.map((r) => r.value).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => String(i)).filter((v) => !committed.has(v)).sort());
    // each partition restarts exactly at its committed offset
    for (const c of commitAll(seen.slice(0, 10))) {
      expect(replay.find((r) => r.partition === c.partition)?.offset).toBe(c.offset);
    }
  });

  it('gives each consumer group its own offsets', async () => {
    const b = bus();
    await (await b.producer()).send('t', [rec('a', '1'), rec('b', '2')]);
    const g1 = await b.consumer({ group: 'g1', topics: ['t'] });
    const g2 = await b.consumer({ group: 'g2', topics: ['t'] });
    const r1 = await drain(g1, 2);
    await g1.commit(commitAll(r1));
    expect(await drain(g2, 2)).toHaveLength(2);
    expect(b.lag('g1').reduce((a, p) => a + p.lag, 0)).toBe(0);
    expect(b.lag('g2').reduce((a, p) => a + p.lag, 0)).toBe(2);
  });

  it('poll waits at most timeoutMs when there is nothing, and wakes at once on a local append', async () => {
    const b = bus({ pollIntervalMs: 10_000 }); // so only the in-process wakeup can deliver in time
    const consumer = await b.consumer({ group: 'g', topics: ['t'] });
    const t0 = Date.now();
    expect(await consumer.poll({ maxRecords: 10, timeoutMs: 150 })).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    const producer = await b.producer();
    const t1 = Date.now();
    const polled = consumer.poll({ maxRecords: 10, timeoutMs: 5000 });
    setTimeout(() => void producer.send('t', [rec('k', 'v')]), 50);
    expect((await polled).map((r) => r.value)).toEqual(['v']);
    expect(Date.now() - t1).toBeLessThan(1000);
  });

  it('finds appends made through another connection to the file by polling', async () => {
    const reader = bus({ pollIntervalMs: 5 });
    const consumer = await reader.consumer({ group: 'g', topics: ['t'] });
    // a second bus object on the same file stands in for another process's connection
    const writer = bus();
    const polled = consumer.poll({ maxRecords: 10, timeoutMs: 5000 });
    await (await writer.producer()).send('t', [rec('k', 'v')]);
    expect((await polled).map((r) => r.value)).toEqual(['v']);
  });

  it('group commits sends made together into one transaction, each resolving after it', async () => {
    const b = bus();
    const producer = await b.producer();
    await Promise.all([producer.send('a', [rec('k', '1')]), producer.send('b', [rec('k', '2')]), producer.send('a', [rec('k', '3')])]);
    const got = await drain(await b.consumer({ group: 'g', topics: ['a', 'b'] }), 3);
    expect(got.map((r) => `${r.topic}:${r.value}`).sort()).toEqual(['a:1', 'a:3', 'b:2']);
  });

  it('rejects bad sends with the field at fault, without failing sends made alongside', async () => {
    const producer = await bus().producer();
    const good = producer.send('t', [rec('k', 'v')]);
    await expect(producer.send('t', [{ key: 'k', value: { x: 1 } as unknown as string }])).rejects.toThrow(/records\[0\]\.value must be a string/);
    await expect(producer.send('bad topic!', [rec('k', 'v')])).rejects.toThrow(/invalid topic name/);
    await expect(producer.send('t', [{ key: 1 as unknown as string, value: 'v' }])).rejects.toThrow(/records\[0\]\.key/);
    await expect(good).resolves.toBeUndefined();
  });

  it('refuses a second live consumer in the same group, and takes over once the first closed', async () => {
    const b = bus();
    const first = await b.consumer({ group: 'g', topics: ['t'] });
    await expect(bus().consumer({ group: 'g', topics: ['t'] })).rejects.toThrow(GroupBusyError);
    // other topics of the group, and other groups, are free
    await (await bus().consumer({ group: 'g', topics: ['u'] })).close();
    await (await bus().consumer({ group: 'h', topics: ['t'] })).close();
    await first.close();
    const second = await bus().consumer({ group: 'g', topics: ['t'] });
    expect(second.assignment()).toHaveLength(4);
  });

  it('fences a consumer whose group was taken over: its commit is refused', async () => {
    const b = bus();
    await (await b.producer()).send('t', [rec('k', 'v')]);
    const stale = await b.consumer({ group: 'g', topics: ['t'] });
    const records = await drain(stale, 1);
    // simulate a takeover as after a presumed death: the row now names another member
    const other = bus();
    const db = (other as unknown as { db: import('better-sqlite3').Database }).db;
    db.prepare("UPDATE group_members SET owner_id = 'someone-else', generation = generation + 1 WHERE grp = 'g'").run();
    await expect(stale.commit(commitAll(records))).rejects.toThrow(FencedError);
    expect(other.lag('g')[0].committed).toBeNull();
  });

  it('refuses commits outside the assignment or beyond the log end', async () => {
    const b = bus({ partitions: 2 });
    await (await b.producer()).send('t', [rec('k', 'v')]);
    const c = await b.consumer({ group: 'g', topics: ['t'] });
    await expect(c.commit([{ topic: 'x', partition: 0, offset: 0 }])).rejects.toThrow(/not assigned/);
    await expect(c.commit([{ topic: 't', partition: 5, offset: 0 }])).rejects.toThrow(/not assigned/);
    await expect(c.commit([{ topic: 't', partition: 0, offset: 99 }])).rejects.toThrow(/beyond the log end/);
    await expect(c.commit([{ topic: 't', partition: 0, offset: -1 }])).rejects.toThrow(/non-negative/);
  });

  it('deletes only what every subscribed group committed, and keeps offsets after emptying a partition', async () => {
    const b = bus({ partitions: 1 });
    const producer = await b.producer();
    await producer.send('t', Array.from({ length: 10 }, (_, i) => rec('k', String(i))));
    expect(b.compact().deleted).toBe(0); // no group has subscribed yet: keep everything
    const g1 = await b.consumer({ group: 'g1', topics: ['t'] });
    const g2 = await b.consumer({ group: 'g2', topics: ['t'] });
    await g1.commit([{ topic: 't', partition: 0, offset: 10 }]);
    expect(b.compact().deleted).toBe(0); // g2 has not committed anything
    await g2.commit([{ topic: 't', partition: 0, offset: 4 }]);
    expect(b.compact().deleted).toBe(4);
    await g2.commit([{ topic: 't', partition: 0, offset: 10 }]);
    expect(b.compact().deleted).toBe(6);
    await producer.send('t', [rec('k', 'after')]);
    const fresh = await b.consumer({ group: 'g3', topics: ['t'] });
    const got = await drain(fresh, 1);
    expect(got.map((r) => [r.offset, r.value])).toEqual([[10, 'after']]);
    // a group that is gone for good stops holding back retention once deleted
    await fresh.close();
    await g1.commit([{ topic: 't', partition: 0, offset: 11 }]);
    await g2.commit([{ topic: 't', partition: 0, offset: 11 }]);
    expect(b.compact().deleted).toBe(0);
    b.deleteGroup('g3');
    expect(b.compact().deleted).toBe(1);
  });

  it('compacts in bounded steps', async () => {
    const b = bus({ partitions: 1 });
    await (await b.producer()).send('t', Array.from({ length: 50 }, (_, i) => rec('k', String(i))));
    const c = await b.consumer({ group: 'g', topics: ['t'] });
    await c.commit([{ topic: 't', partition: 0, offset: 50 }]);
    expect(b.compact(20).deleted).toBe(20);
    expect(b.compact(20).deleted).toBe(20);
    expect(b.compact(20).deleted).toBe(10);
  });

  it('refuses to change the partition count of an existing topic', async () => {
    const b = bus({ topics: { t: { partitions: 2 } } });
    b.createTopic('t');
    await b.close();
    expect(() => bus({ topics: { t: { partitions: 8 } } }).createTopic('t')).toThrow(/has 2 partitions.*asks for 8/);
    expect(bus({ partitions: 8 }).createTopic('t').partitions).toBe(2); // the default only applies to new topics
  });

  it('a new group can start at the log end instead of the beginning', async () => {
    const b = bus({ fromBeginning: false });
    const producer = await b.producer();
    await producer.send('t', [rec('k', 'old')]);
    const c = await b.consumer({ group: 'g', topics: ['t'] });
    await producer.send('t', [rec('k', 'new')]);
    expect((await drain(c, 1)).map((r) => r.value)).toEqual(['new']);
  });

  it('seek moves the read position without committing', async () => {
    const b = bus({ partitions: 1 });
    await (await b.producer()).send('t', Array.from({ length: 5 }, (_, i) => rec('k', String(i))));
    const c = await b.consumer({ group: 'g', topics: ['t'] });
    c.seek({ topic: 't', partition: 0, offset: 3 });
    expect(c.position({ topic: 't', partition: 0 })).toBe(3);
    expect((await drain(c, 2)).map((r) => r.value)).toEqual(['3', '4']);
    expect(b.lag('g')[0]).toMatchObject({ committed: null, end: 5, lag: 5 });
  });

  it('a closed consumer returns nothing and a pending poll ends at close', async () => {
    const b = bus();
    const c = await b.consumer({ group: 'g', topics: ['t'] });
    const pending = c.poll({ maxRecords: 1, timeoutMs: 60_000 });
    const t0 = Date.now();
    await c.close();
    expect(await pending).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(c.assignment()).toEqual([]);
  });

  it('opens the log with WAL and the chosen synchronous level', async () => {
    for (const [synchronous, level] of [['FULL', 2], ['NORMAL', 1], [undefined, 1]] as const) {
      const b = bus(synchronous ? { synchronous } : {});
      const db = (b as unknown as { db: import('better-sqlite3').Database }).db;
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(level);
      await b.close();
    }
  });
});
