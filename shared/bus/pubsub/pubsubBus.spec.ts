import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { describeWithService } from '../../../tests/services/serviceEnv.js';
import type { BusConsumer, BusRecord } from '../bus.js';
import { DEAD_LETTER_SUFFIX, PubSubBus, type PubSubBusOptions } from './pubsubBus.js';

/** Polls (committing nothing unless `commitEach`) until `n` records arrived or `ms` passed. */
async function pollUntil(c: BusConsumer, n: number, ms: number, commitEach = false): Promise<BusRecord[]> {
  const got: BusRecord[] = [];
  const deadline = Date.now() + ms;
  while (got.length < n && Date.now() < deadline) {
    const batch = await c.poll({ maxRecords: 100, timeoutMs: 100 });
    got.push(...batch);
    if (commitEach && batch.length > 0) await c.commit([{ topic: batch[0]!.topic, partition: 0, offset: batch[batch.length - 1]!.offset + 1 }]);
  }
  return got;
}

describeWithService('pubsub', 'Pub/Sub bus against the Pub/Sub fake', (service) => {
  const open: { bus: PubSubBus; topics: string[]; groups: string[] }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.bus.deleteTopics(o.topics, o.groups).catch(() => {});
      await o.bus.close();
    }
  });

  function newBus(topics: string[], groups: string[], extra: Partial<PubSubBusOptions> = {}): PubSubBus {
    const { emulatorHost, projectId } = service();
    const bus = new PubSubBus({ projectId, emulatorHost, topicPrefix: `t${randomUUID().slice(0, 8)}-`, ackDeadlineSeconds: 2, ...extra });
    open.push({ bus, topics, groups });
    return bus;
  }

  it('send resolves once published; poll returns the records as partition 0 with growing offsets; commit acks them', async () => {
    const bus = newBus(['telemetry'], ['g']);
    const consumer = await bus.consumer({ group: 'g', topics: ['telemetry'] });
    const producer = await bus.producer();
    const sent = Array.from({ length: 20 }, (_, i) => ({ key: `dev-${i}`, value: JSON.stringify({ i }), timestamp: 1_700_000_000_000 + i }));
    await producer.send('telemetry', sent);

    const got = await pollUntil(consumer, 20, 10_000);
    expect(got).toHaveLength(20);
    expect(got.every((r) => r.topic === 'telemetry' && r.partition === 0)).toBe(true);
    const offsets = got.map((r) => r.offset);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    expect(new Set(offsets).size).toBe(20);
    const byKey = new Map(got.map((r) => [r.key, r]));
    for (const s of sent) expect(byKey.get(s.key)).toMatchObject({ value: s.value, timestamp: s.timestamp });
    expect(consumer.outstanding()).toBe(20);

    await consumer.commit([{ topic: 'telemetry', partition: 0, offset: offsets[19]! + 1 }]);
    expect(consumer.outstanding()).toBe(0);
    await consumer.close();
    // Everything was acknowledged: a new consumer of the group gets nothing, even past the ack deadline.
    const again = await bus.consumer({ group: 'g', topics: ['telemetry'] });
    expect(await pollUntil(again, 1, 2_500)).toEqual([]);
    await expect(again.commit([{ topic: 'telemetry', partition: 1, offset: 0 }])).rejects.toThrow(/not assigned/);
  });

  it('redelivers uncommitted messages to a new consumer of the group: at once after close, after the ack deadline after a crash', async () => {
    const bus = newBus(['events'], ['workers']);
    const producer = await bus.producer();
    const first = await bus.consumer({ group: 'workers', topics: ['events'] });
    await producer.send('events', Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })));
    const got = await pollUntil(first, 10, 10_000);
    expect(got).toHaveLength(10);
    // Commit the first four only: the rest must come again.
    await first.commit([{ topic: 'events', partition: 0, offset: got[4]!.offset }]);
    await first.close();

    const second = await bus.consumer({ group: 'workers', topics: ['events'] });
    const redelivered = await pollUntil(second, 6, 10_000);
    expect(redelivered.map((r) => r.value).sort()).toEqual(got.slice(4).map((r) => r.value).sort());
    // A new consumer numbers above the old one, so a checkpoint's "processed through offset N" skips nothing.
    expect(Math.min(...redelivered.map((r) => r.offset))).toBeGreaterThan(got[9]!.offset);

    // Crash: leases stop being extended and nothing is handed back; Pub/Sub redelivers after the 2 s deadline.
    second.abandon();
    const third = await bus.consumer({ group: 'workers', topics: ['events'] });
    const t0 = Date.now();
    const afterCrash = await pollUntil(third, 6, 15_000);
    expect(afterCrash.map((r) => r.value).sort()).toEqual(got.slice(4).map((r) => r.value).sort());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
    await third.commit([{ topic: 'events', partition: 0, offset: afterCrash[afterCrash.length - 1]!.offset + 1 }]);
    expect(await pollUntil(third, 1, 2_500)).toEqual([]);
  }, 40_000);

  it('keeps leases alive past the ack deadline while held (modAck), so no other consumer gets them', async () => {
    const bus = newBus(['held'], ['g']);
    const producer = await bus.producer();
    const holder = await bus.consumer({ group: 'g', topics: ['held'] });
    await producer.send('held', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    expect(await pollUntil(holder, 2, 10_000)).toHaveLength(2);
    const other = await bus.consumer({ group: 'g', topics: ['held'] });
    // Three deadlines (2 s each) pass; without the extension the messages would go to `other`.
    expect(await pollUntil(other, 1, 6_000)).toEqual([]);
    await holder.close();
    expect(await pollUntil(other, 2, 10_000)).toHaveLength(2);
  }, 30_000);

  it('delivers each key in send order (ordering key = record key)', async () => {
    const bus = newBus(['ordered'], ['g']);
    const producer = await bus.producer();
    const consumer = await bus.consumer({ group: 'g', topics: ['ordered'] });
    const keys = ['plant-a', 'plant-b', 'plant-c'];
    const perKey = 25;
    const sends: Promise<void>[] = [];
    for (let seq = 0; seq < perKey; seq++) sends.push(producer.send('ordered', keys.map((key) => ({ key, value: String(seq) }))));
    await Promise.all(sends);
    const got = await pollUntil(consumer, keys.length * perKey, 20_000, true);
    expect(got).toHaveLength(keys.length * perKey);
    for (const key of keys) {
      expect(got.filter((r) => r.key === key).map((r) => Number(r.value))).toEqual(Array.from({ length: perKey }, (_, i) => i));
    }
  }, 30_000);

  it('moves a message no consumer commits to the dead-letter topic after maxDeliveryAttempts, readable as a bus topic', async () => {
    const bus = newBus(['jobs', `jobs${DEAD_LETTER_SUFFIX}`], ['g', 'dlq'], { maxDeliveryAttempts: 5 });
    const producer = await bus.producer();
    // Pub/Sub keeps a message only for subscriptions that exist when it is published: subscribe to the
    // dead-letter topic first (in production, create that subscription with the group's).
    const dead = await bus.consumer({ group: 'dlq', topics: [`jobs${DEAD_LETTER_SUFFIX}`] });
    await (await bus.consumer({ group: 'g', topics: ['jobs'] })).close();
    await producer.send('jobs', [{ key: 'poison', value: 'cannot be processed', timestamp: 123 }]);
    let deliveries = 0;
    for (let i = 0; i < 7; i++) {
      const c = await bus.consumer({ group: 'g', topics: ['jobs'] });
      deliveries += (await c.poll({ maxRecords: 10, timeoutMs: 1_000 })).length;
      await c.close(); // nack: delivered again at once, until the policy moves it
    }
    expect(deliveries).toBe(5);
    const moved = await pollUntil(dead, 1, 5_000);
    expect(moved).toMatchObject([{ topic: `jobs${DEAD_LETTER_SUFFIX}`, partition: 0, key: 'poison', value: 'cannot be processed', timestamp: 123 }]);
    await dead.commit([{ topic: `jobs${DEAD_LETTER_SUFFIX}`, partition: 0, offset: moved[0]!.offset + 1 }]);
  }, 40_000);

  it('keeps records sent before a group first subscribes only for producerGroups (Pub/Sub keeps messages per existing subscription)', async () => {
    const bus = newBus(['early'], ['listed', 'unlisted'], { producerGroups: (t) => (t === 'early' ? ['listed'] : []) });
    const producer = await bus.producer();
    await producer.send('early', [{ key: 'k', value: 'before any consumer' }]);
    const listed = await bus.consumer({ group: 'listed', topics: ['early'] });
    const unlisted = await bus.consumer({ group: 'unlisted', topics: ['early'] });
    expect((await pollUntil(listed, 1, 5_000)).map((r) => r.value)).toEqual(['before any consumer']);
    expect(await pollUntil(unlisted, 1, 1_000)).toEqual([]);
  });

  it('on the fake, an ordered subscription holds back a key until its delivered message is committed (why workers must not hold acks)', async () => {
    const bus = newBus(['held-key'], ['g']);
    const producer = await bus.producer();
    const consumer = await bus.consumer({ group: 'g', topics: ['held-key'] });
    await producer.send('held-key', ['0', '1', '2'].map((value) => ({ key: 'a', value })));
    const first = await pollUntil(consumer, 3, 1_500);
    expect(first.map((r) => r.value)).toEqual(['0']);
    await consumer.commit([{ topic: 'held-key', partition: 0, offset: first[0]!.offset + 1 }]);
    expect((await pollUntil(consumer, 1, 5_000)).map((r) => r.value)).toEqual(['1']);
  });

  it('one consumer over two topics: records of both, and a commit on one topic acknowledges nothing of the other', async () => {
    const bus = newBus(['left', 'right'], ['g']);
    const producer = await bus.producer();
    const consumer = await bus.consumer({ group: 'g', topics: ['left', 'right'] });
    expect(consumer.assignment()).toEqual([{ topic: 'left', partition: 0 }, { topic: 'right', partition: 0 }]);
    await Promise.all([
      producer.send('left', [{ key: 'l1', value: 'L1' }, { key: 'l2', value: 'L2' }]),
      producer.send('right', [{ key: 'r1', value: 'R1' }]),
    ]);
    const got = await pollUntil(consumer, 3, 10_000);
    expect(got.map((r) => `${r.topic}:${r.value}`).sort()).toEqual(['left:L1', 'left:L2', 'right:R1']);
    const lastLeft = Math.max(...got.filter((r) => r.topic === 'left').map((r) => r.offset));
    await consumer.commit([{ topic: 'left', partition: 0, offset: lastLeft + 1 }]);
    expect(consumer.outstanding()).toBe(1);
    await consumer.close();
    const next = await bus.consumer({ group: 'g', topics: ['left', 'right'] });
    expect((await pollUntil(next, 2, 2_500)).map((r) => `${r.topic}:${r.value}`)).toEqual(['right:R1']);
  });
});
