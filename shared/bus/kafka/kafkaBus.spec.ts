import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { describeWithService } from '../../../tests/services/serviceEnv.js';
import type { BusConsumer, BusRecord, CommitOffset } from '../bus.js';
import { DEAD_LETTER_TOPIC } from '../../deadLetters/deadLetter.js';
import { KafkaBus, type KafkaBusOptions } from './kafkaBus.js';

/**
 * Against the real broker (infra/local/kafka.sh). Group joins are what is slow, so the group timers are
 * small: the broker's minimum session timeout (6 s), 500 ms heartbeats, 200 ms fetch waits.
 */
const FAST: Partial<KafkaBusOptions> = {
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 500,
  rebalanceTimeoutMs: 10_000,
  maxWaitTimeMs: 200,
  joinTimeoutMs: 30_000,
  retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
  logLevel: 'nothing',
};

/** Polls until `want` records arrived (or fails after `ms`), in poll order. */
async function pollUntil(consumer: BusConsumer, want: number, ms = 20_000, maxRecords = 500): Promise<BusRecord[]> {
  const out: BusRecord[] = [];
  if (want <= 0) return out;
  const deadline = Date.now() + ms;
  while (out.length < want) {
    if (Date.now() > deadline) throw new Error(`polled ${out.length}/${want} records within ${ms} ms`);
    out.push(...(await consumer.poll({ maxRecords, timeoutMs: 200 })));
  }
  return out;
}

/** The next offset to read per partition, after `records`. */
function nextOffsets(records: readonly BusRecord[]): CommitOffset[] {
  const next = new Map<string, CommitOffset>();
  for (const r of records) next.set(`${r.topic}/${r.partition}`, { topic: r.topic, partition: r.partition, offset: r.offset + 1 });
  return [...next.values()];
}

const records = (keys: readonly string[], perKey: number) =>
  Array.from({ length: perKey }, (_, seq) => keys.map((key) => ({ key, value: JSON.stringify({ key, seq }) }))).flat();

describeWithService('kafka', 'KafkaBus on a real broker', (service) => {
  const buses: KafkaBus[] = [];
  const topicsToDelete: { bus: KafkaBus; topics: string[] }[] = [];
  const open = (prefix: string, extra: Partial<KafkaBusOptions> = {}) => {
    const bus = new KafkaBus({ brokers: service().brokers, clientId: 'driftline-test', topicPrefix: prefix, partitions: 4, ...FAST, ...extra });
    buses.push(bus);
    return bus;
  };
  const run = () => `dltest-${randomUUID().slice(0, 8)}.`;

  afterEach(async () => {
    // One extra bus deletes the throwaway topics once everything else has closed.
    for (const b of buses.splice(0)) await b.close().catch(() => {});
    for (const { topics } of topicsToDelete.splice(0)) {
      const cleaner = new KafkaBus({ brokers: service().brokers, topicPrefix: '', ...FAST });
      await cleaner.deleteTopics(topics).catch(() => {});
      await cleaner.close();
    }
  });

  it('sends durably, polls, commits, and a restarted consumer replays from the committed offset', async () => {
    const prefix = run();
    const bus = open(prefix);
    topicsToDelete.push({ bus, topics: [`${prefix}vessels`] });
    const producer = await bus.producer();
    await producer.send('vessels', records(['v1', 'v2', 'v3', 'v4', 'v5'], 20));
    expect((await bus.endOffsets('vessels')).reduce((a, b) => a + b, 0)).toBe(100);
    // Created on demand with the configured partition count, not the broker's default of 1.
    expect(await bus.endOffsets('vessels')).toHaveLength(4);

    const first = await bus.consumer({ group: `${prefix}g`, topics: ['vessels'] });
    expect(first.assignment().map((a) => a.partition)).toEqual([0, 1, 2, 3]);
    expect(first.generation()).toBe(1);
    const all = await pollUntil(first, 100);
    expect(all).toHaveLength(100);
    expect(all.every((r) => r.topic === 'vessels')).toBe(true);
    expect(new Set(all.map((r) => JSON.parse(r.value).seq + r.key)).size).toBe(100);

    // Commit only what precedes each key's 10th record: the rest must come back after a restart.
    const processed = all.filter((r) => JSON.parse(r.value).seq < 10);
    await first.commit(nextOffsets(processed));
    await expect(first.commit([{ topic: 'vessels', partition: 9, offset: 1 }])).rejects.toThrow(/not assigned/);
    await first.close();
    const committed = await bus.committed(`${prefix}g`, 'vessels');
    const expected = nextOffsets(processed);
    for (const c of committed) {
      expect(c.offset).toBe(expected.find((e) => e.partition === c.partition)?.offset ?? null);
    }

    const second = await bus.consumer({ group: `${prefix}g`, topics: ['vessels'] });
    const replay = await pollUntil(second, 50);
    expect(replay.map((r) => `${r.key}:${JSON.parse(r.value).seq}`).sort()).toEqual(
      all.filter((r) => JSON.parse(r.value).seq >= 10).map((r) => `${r.key}:${JSON.parse(r.value).seq}`).sort(),
    );
    expect(await second.poll({ maxRecords: 10, timeoutMs: 300 })).toEqual([]);
  });

  it('keeps each key on one partition, in send order, through a small buffer that holds kafkajs back', async () => {
    const prefix = run();
    const bus = open(prefix, { maxBufferedRecords: 50 });
    topicsToDelete.push({ bus, topics: [`${prefix}plants`] });
    const producer = await bus.producer();
    const keys = Array.from({ length: 12 }, (_, i) => `hall-${i}`);
    // Several sends, as the ingest's batches arrive.
    for (let batch = 0; batch < 5; batch++) {
      await producer.send('plants', records(keys, 40).map((r) => ({ ...r, value: JSON.stringify({ ...JSON.parse(r.value), batch }) })));
    }
    const consumer = await bus.consumer({ group: `${prefix}g`, topics: ['plants'] });
    const got: BusRecord[] = [];
    while (got.length < keys.length * 200) {
      const polled = await consumer.poll({ maxRecords: 37, timeoutMs: 2000 });
      if (polled.length === 0) throw new Error(`stalled after ${got.length} records`);
      got.push(...polled);
    }
    const partitionOf = new Map<string, Set<number>>();
    const seen = new Map<string, string[]>();
    for (const r of got) {
      (partitionOf.get(r.key) ?? partitionOf.set(r.key, new Set()).get(r.key)!).add(r.partition);
      const v = JSON.parse(r.value) as { batch: number; seq: number };
      (seen.get(r.key) ?? seen.set(r.key, []).get(r.key)!).push(`${v.batch}.${String(v.seq).padStart(2, '0')}`);
    }
    for (const key of keys) {
      expect(partitionOf.get(key)!.size).toBe(1);
      const order = seen.get(key)!;
      expect(order).toHaveLength(200);
      expect(order).toEqual([...order].sort());
    }
    // Offsets within a partition are returned in increasing order.
    for (let p = 0; p < 4; p++) {
      const offsets = got.filter((r) => r.partition === p).map((r) => r.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
    // More than one partition is used by 12 keys (murmur2 spreads them).
    expect(new Set(got.map((r) => r.partition)).size).toBeGreaterThan(1);
  });

  it('shares partitions between two consumers of a group; after one closes the other owns all and replays from the commits', async () => {
    const prefix = run();
    const bus = open(prefix);
    topicsToDelete.push({ bus, topics: [`${prefix}vessels`] });
    const group = `${prefix}workers`;
    const producer = await bus.producer();
    await producer.send('vessels', records(Array.from({ length: 16 }, (_, i) => `mmsi-${i}`), 10));
    const a = await bus.consumer({ group, topics: ['vessels'] });
    const genA = a.generation();
    const bBus = open(prefix);
    const b = await bBus.consumer({ group, topics: ['vessels'] });
    // A learns of the rebalance B's join caused on its next heartbeat.
    const deadline = Date.now() + 15_000;
    const seenA: BusRecord[] = [];
    while (a.generation() === genA && Date.now() < deadline) {
      const polled = await a.poll({ maxRecords: 1, timeoutMs: 100 });
      // What A polled before the rebalance is replayed after it (nothing was committed); keep only the later ones.
      if (a.generation() > genA) seenA.push(...polled);
    }
    expect(a.generation()).toBeGreaterThan(genA);
    const pa = a.assignment().map((x) => x.partition);
    const pb = b.assignment().map((x) => x.partition);
    expect(pa.length).toBeGreaterThan(0);
    expect(pb.length).toBeGreaterThan(0);
    expect([...pa, ...pb].sort()).toEqual([0, 1, 2, 3]);

    // Each reads only its own partitions; together they read everything once.
    const total = 160;
    const seenB: BusRecord[] = [];
    const until = Date.now() + 20_000;
    while (seenA.length + seenB.length < total && Date.now() < until) {
      const [ra, rb] = await Promise.all([a.poll({ maxRecords: 100, timeoutMs: 200 }), b.poll({ maxRecords: 100, timeoutMs: 200 })]);
      seenA.push(...ra);
      seenB.push(...rb);
    }
    expect(seenA.every((r) => pa.includes(r.partition))).toBe(true);
    expect(seenB.every((r) => pb.includes(r.partition))).toBe(true);
    expect(seenA.length + seenB.length).toBe(total);

    // B commits half of what it read, then leaves: A takes over B's partitions from B's commits.
    const bHalf = seenB.filter((r) => JSON.parse(r.value).seq < 5);
    await b.commit(nextOffsets(bHalf));
    await a.commit(nextOffsets(seenA));
    const genBefore = a.generation();
    await b.close();
    const takeover = Date.now() + 15_000;
    const replay: BusRecord[] = [];
    while (a.assignment().length < 4 && Date.now() < takeover) {
      const polled = await a.poll({ maxRecords: 1000, timeoutMs: 100 });
      if (a.generation() > genBefore) replay.push(...polled);
    }
    expect(a.generation()).toBeGreaterThan(genBefore);
    expect(a.assignment().map((x) => x.partition)).toEqual([0, 1, 2, 3]);
    // After the rebalance A replays every partition from its committed offset: only B's uncommitted half comes back.
    replay.push(...(await pollUntil(a, seenB.length - bHalf.length - replay.length)));
    expect(replay.map((r) => `${r.partition}:${r.offset}`).sort()).toEqual(
      seenB.filter((r) => JSON.parse(r.value).seq >= 5).map((r) => `${r.partition}:${r.offset}`).sort(),
    );
    expect(await a.poll({ maxRecords: 10, timeoutMs: 300 })).toEqual([]);
  });

  it('holds kafkajs back while the buffer is full: it fetches no further than one response past the limit', async () => {
    const prefix = run();
    // 4 KiB per partition per fetch: about 15 of these records, so fetching everything takes many fetches.
    const bus = open(prefix, { maxBufferedRecords: 50, maxBytesPerPartition: 4096 });
    topicsToDelete.push({ bus, topics: [`${prefix}vessels`] });
    const producer = await bus.producer();
    const sent = records(Array.from({ length: 40 }, (_, i) => `k${i}`), 50).map((r) => ({ ...r, value: r.value.padEnd(200, ' ') }));
    // Small sends: Kafka hands out whole producer batches, so one big send would be one big fetch.
    for (let i = 0; i < sent.length; i += 40) await producer.send('vessels', sent.slice(i, i + 40));
    const consumer = await bus.consumer({ group: `${prefix}slow`, topics: ['vessels'] });
    await new Promise((r) => setTimeout(r, 1500)); // a worker busy elsewhere: nothing polls
    expect(consumer.buffered()).toBeGreaterThan(0);
    expect(consumer.buffered()).toBeLessThan(200);
    const got = await pollUntil(consumer, sent.length, 30_000, 1000);
    expect(got).toHaveLength(sent.length);
    expect(new Set(got.map((r) => `${r.partition}:${r.offset}`)).size).toBe(sent.length);
  });

  it('gives consumers of one group with different topics each their own topic\'s partitions (one consumer per stream)', async () => {
    const prefix = run();
    const bus = open(prefix);
    topicsToDelete.push({ bus, topics: [`${prefix}vessels`, `${prefix}plants`] });
    const vessels = await bus.consumer({ group: `${prefix}w`, topics: ['vessels'] });
    const plants = await bus.consumer({ group: `${prefix}w`, topics: ['plants'] });
    const deadline = Date.now() + 15_000;
    while (vessels.assignment().some((a) => a.topic !== 'vessels') || vessels.assignment().length !== 4 || plants.assignment().length !== 4) {
      if (Date.now() > deadline) break;
      await Promise.all([vessels.poll({ maxRecords: 1, timeoutMs: 100 }), plants.poll({ maxRecords: 1, timeoutMs: 100 })]);
    }
    expect(vessels.assignment()).toEqual([0, 1, 2, 3].map((partition) => ({ topic: 'vessels', partition })));
    expect(plants.assignment()).toEqual([0, 1, 2, 3].map((partition) => ({ topic: 'plants', partition })));
    const producer = await bus.producer();
    await Promise.all([producer.send('vessels', records(['a', 'b'], 5)), producer.send('plants', records(['c'], 3))]);
    expect((await pollUntil(vessels, 10)).every((r) => r.topic === 'vessels')).toBe(true);
    expect((await pollUntil(plants, 3)).every((r) => r.topic === 'plants')).toBe(true);
  });

  it('namespaces consumer groups by the topic prefix: one group name under two prefixes is two groups that never rebalance each other', async () => {
    const [prefixA, prefixB] = [run(), run()];
    const [busA, busB] = [open(prefixA), open(prefixB)];
    topicsToDelete.push({ bus: busA, topics: [`${prefixA}vessels`] }, { bus: busB, topics: [`${prefixB}vessels`] });
    expect(busA.kafkaGroup('driftline-worker')).toBe(`${prefixA}driftline-worker`);
    const a = await busA.consumer({ group: 'driftline-worker', topics: ['vessels'] });
    await a.poll({ maxRecords: 1, timeoutMs: 1000 });
    const generation = a.generation();
    const b = await busB.consumer({ group: 'driftline-worker', topics: ['vessels'] });
    // a shared group would rebalance `a` now; its heartbeats (every 500 ms) would see it within the wait
    for (let i = 0; i < 15; i++) await Promise.all([a.poll({ maxRecords: 1, timeoutMs: 200 }), b.poll({ maxRecords: 1, timeoutMs: 200 })]);
    expect(a.generation()).toBe(generation);
    expect(a.assignment()).toHaveLength(4);
    expect(b.assignment()).toHaveLength(4);
    const producer = await busA.producer();
    await producer.send('vessels', records(['k'], 3));
    const got = await pollUntil(a, 3);
    await a.commit(nextOffsets(got));
    // committed() speaks bus group names, as consumer() does
    expect((await busA.committed('driftline-worker', 'vessels')).filter((c) => c.offset !== null)).toHaveLength(1);
  });

  it('round-trips the dead-letters topic under the prefix', async () => {
    const prefix = run();
    const bus = open(prefix);
    topicsToDelete.push({ bus, topics: [`${prefix}${DEAD_LETTER_TOPIC}`] });
    const producer = await bus.producer();
    const letters = [
      { key: 'dev-1', value: JSON.stringify({ reason: 'invalid_json', payload: '{' }), timestamp: 1_700_000_000_000 },
      { key: 'dev-2', value: JSON.stringify({ reason: 'schema', payload: '{"a":1}' }), timestamp: 1_700_000_000_001 },
    ];
    // a record without a timestamp gets the time it was sent
    const unstamped = { key: 'dev-3', value: JSON.stringify({ reason: 'schema', payload: '[]' }) };
    const before = Date.now();
    await producer.send(DEAD_LETTER_TOPIC, [...letters, unstamped]);
    const after = Date.now();
    const consumer = await bus.consumer({ group: `${prefix}dlq`, topics: [DEAD_LETTER_TOPIC] });
    const got = (await pollUntil(consumer, 3)).sort((x, y) => x.key.localeCompare(y.key));
    expect(got.slice(0, 2).map(({ topic, key, value, timestamp }) => ({ topic, key, value, timestamp })))
      .toEqual(letters.map((l) => ({ topic: DEAD_LETTER_TOPIC, ...l })));
    expect(got[2]!.timestamp).toBeGreaterThanOrEqual(before);
    expect(got[2]!.timestamp).toBeLessThanOrEqual(after);
    await consumer.commit(nextOffsets(got));
    expect((await bus.committed(`${prefix}dlq`, DEAD_LETTER_TOPIC)).filter((c) => c.offset !== null).length).toBe(new Set(got.map((r) => r.partition)).size);
  });
});
