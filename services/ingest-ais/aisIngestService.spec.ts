import { createServer, type Server } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Row, TableName } from '../../schemas/tables/tables.js';
import { aisSourceSchema } from '../../shared/config/aisSourceSchema.js';
import type { Sink, WriteResult } from '../../shared/sinks/sink.js';
import { sentence, tagBlock, type1Sentence, type5Sentences } from '../../tests/fixtures/aisEncode/aisEncoder.js';
import { MemoryProducer } from '../ingest-mqtt/memoryProducer.js';
import { startAisIngest, type AisIngestService } from './aisIngestService.js';
import { AisOutbox } from './aisOutbox.js';

class MemorySink implements Sink {
  readonly rows: { table: string; rows: unknown[] }[] = [];
  async write<T extends TableName>(table: T, rows: readonly Row<T>[]): Promise<WriteResult> {
    this.rows.push({ table, rows: [...rows] });
    return { written: rows.length, deadLettered: 0 };
  }
  async close(): Promise<void> {}
}

const silent = pino({ level: 'silent' });
const T0 = Date.UTC(2024, 4, 2, 10, 0, 0);

async function until(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('AisOutbox', () => {
  it('appends in batches, one send per topic, and keeps the newest vessel row per MMSI', async () => {
    const producer = new MemoryProducer();
    const sink = new MemorySink();
    const outbox = new AisOutbox({ producer, sink, logger: silent, maxRecords: 1000, lingerMs: 10_000 });
    for (let i = 0; i < 250; i++) outbox.add(i % 5 === 0 ? 'dead_letters' : 'vessels', { key: String(i % 7), value: String(i) });
    outbox.addVessel({ mmsi: '1', shipname: 'NEW', shiptype: null, callsign: null, imo: null, to_bow: null, to_stern: null, to_port: null, to_starboard: null, updated_at: 20 });
    outbox.addVessel({ mmsi: '1', shipname: 'OLD', shiptype: null, callsign: null, imo: null, to_bow: null, to_stern: null, to_port: null, to_starboard: null, updated_at: 10 });
    await outbox.close();
    expect(producer.sends).toBe(2);
    expect(producer.records('vessels').map((r) => r.value)).toEqual(Array.from({ length: 250 }, (_, i) => i).filter((i) => i % 5 !== 0).map(String));
    expect(producer.records('dead_letters')).toHaveLength(50);
    expect(sink.rows).toEqual([{ table: 'vessels', rows: [expect.objectContaining({ mmsi: '1', shipname: 'NEW' })] }]);
    expect(outbox.appended).toBe(250);
  });

  it('keeps records through a failed append and retries them first, in order', async () => {
    const producer = new MemoryProducer();
    const outbox = new AisOutbox({ producer, sink: new MemorySink(), logger: silent, maxRecords: 3, lingerMs: 5 });
    producer.failNext = 1;
    for (let i = 0; i < 7; i++) outbox.add('vessels', { key: 'k', value: String(i) });
    await outbox.close();
    expect(outbox.failures).toBe(1);
    expect(producer.records('vessels').map((r) => r.value)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(outbox.pending).toBe(0);
  });
});

describe('startAisIngest (NMEA over a real TCP socket)', () => {
  let server: Server | undefined;
  let service: AisIngestService | undefined;
  afterEach(async () => {
    await service?.stop();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  });

  it('writes positions as vessel_position records (epoch ms), rejects as dead letters and static data as vessels rows', async () => {
    const [a, b] = type5Sentences({ mmsi: 244660000, imo: 9300000, callsign: 'PD42', shipname: 'ZEEHOND', shiptype: 30, to_bow: 15, to_stern: 8, to_port: 3, to_starboard: 3, draught: 2.8, destination: 'IJMUIDEN' }, '2');
    const lines = [
      tagBlock('st', T0) + type1Sentence({ mmsi: 244660000, lat: 52.5, lon: 4.2, speed: 102.3, course: 12.5, heading: null, second: 0 }),
      type1Sentence({ mmsi: 244660000, lat: 91, lon: 181, speed: 1, course: 1, heading: 1, second: 1 }),
      '!AIVDM,1,1,,A,13HOI:7P0:wa7:0KMl00I0D00000,0*00',
      tagBlock('st', T0 + 1000) + a,
      // fragment 1 of a message whose fragment 2 never comes: a dead letter once the source stops
      tagBlock('st', T0 + 2000) + sentence(2, 1, '3', 'A', a.split(',')[5]!, 0),
      b,
    ];
    server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write(lines.map((l) => `${l}\r\n`).join(''));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const producer = new MemoryProducer();
    const sink = new MemorySink();
    service = await startAisIngest({
      ais: aisSourceSchema.parse({ stream: 'boats', tcp: [{ host: '127.0.0.1', port }], max_fragment_age: '1h' }),
      producer, sink, logger: silent, lingerMs: 5,
    });
    await until(() => service!.stats().positions === 1 && service!.stats().vesselUpdates === 1);
    await service.stop();
    const [position] = producer.records('boats');
    expect(position!.key).toBe('244660000');
    expect(JSON.parse(position!.value)).toEqual({ mmsi: '244660000', timestamp: T0, lat: 52.5, lon: 4.2, speed: null, course: 12.5, heading: null });
    const dead = producer.records('dead_letters').map((r) => JSON.parse(r.value) as { reason: string; detail: string; stream: string; payload: string });
    expect(dead.map((d) => [d.reason, d.stream])).toEqual([['bad_nmea', 'boats'], ['bad_nmea', 'boats']]);
    expect(dead[0]!.detail).toMatch(/checksum mismatch/);
    expect(dead[1]!.payload).toContain('!AIVDM,2,1,3,');
    expect(dead[1]!.detail).not.toMatch(/checksum/);
    expect(service.stats().deadLetters).toEqual({ bad_nmea: 2 });
    expect(sink.rows.flatMap((w) => w.rows)).toEqual([{
      mmsi: '244660000', shipname: 'ZEEHOND', shiptype: 30, callsign: 'PD42', imo: 9300000, to_bow: 15, to_stern: 8, to_port: 3, to_starboard: 3, updated_at: T0 + 1000,
    }]);
  });
});
