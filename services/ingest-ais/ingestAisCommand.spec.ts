import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BusRecord } from '../../shared/bus/bus.js';
import { readTopic } from '../../shared/bus/embedded/fixtures/readTopic.js';
import { parseDeadLetter } from '../../shared/deadLetters/deadLetter.js';
import { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import { tagBlock, type1Sentence, type5Sentences } from '../../tests/fixtures/aisEncode/aisEncoder.js';

const bin = fileURLToPath(new URL('../../bin/driftline.js', import.meta.url));
const T0 = Date.UTC(2024, 6, 1, 8, 0, 0);


describe('driftline ingest-ais (CLI, NMEA over UDP)', () => {
  it('appends positions and dead letters to the bus, lands vessels rows, and prints a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftline-ingest-ais-'));
    const config = join(dir, 'driftline.yaml');
    writeFileSync(config, [
      'sources:', '  ais:', '    udp: { host: 127.0.0.1, port: 0 }',
      `bus: { kind: embedded, path: ${join(dir, 'bus.sqlite')} }`, `sink: { kind: duckdb, path: ${join(dir, 'dl.duckdb')} }`,
      'metrics: { port: 0 }', 'log_level: warn',
    ].join('\n'));
    const child = spawn(process.execPath, [bin, 'ingest-ais', '-c', config, '--for', '8'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const end = Date.now() + 120_000;
    let port: number | undefined;
    while (port === undefined) {
      const m = /listening for NMEA over UDP on port (\d+)/.exec(err);
      if (m) port = Number(m[1]);
      else if (child.exitCode !== null || Date.now() > end) throw new Error(`no UDP port announced; stderr:\n${err}`);
      else await new Promise((r) => setTimeout(r, 50));
    }
    const udp = createSocket('udp4');
    const send = (text: string) => new Promise<void>((resolve, reject) => udp.send(text, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    for (let i = 0; i < 3; i++) await send(tagBlock('st', T0 + i * 60_000) + type1Sentence({ mmsi: 235000001, lat: 50 + i / 100, lon: -1, speed: 5, course: 90, heading: 90, second: 0 }));
    await send(type5Sentences({ mmsi: 235000001, imo: 9400000, callsign: 'MABC1', shipname: 'SOLENT STAR', shiptype: 30, to_bow: 12, to_stern: 6, to_port: 2, to_starboard: 3, draught: 2, destination: 'COWES' }, '1').join('\n'));
    await send('!AIVDM,1,1,,A,13HOI:7P0:wa7:0KMl00I0D00000,0*00');
    udp.close();
    expect(await exited).toBe(0);
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ positions: 3, dead_letters: 1, vessel_updates: 1, appended: 4 });

    const positions = await readTopic(join(dir, 'bus.sqlite'), 'vessels');
    expect(positions.map((r) => [r.key, (JSON.parse(r.value) as { timestamp: number }).timestamp])).toEqual([0, 1, 2].map((i) => ['235000001', T0 + i * 60_000]));
    const [dead] = (await readTopic(join(dir, 'bus.sqlite'), 'dead_letters')).map((r) => parseDeadLetter(r.value));
    expect(dead).toMatchObject({ reason: 'bad_nmea', stream: 'vessels', payload: '!AIVDM,1,1,,A,13HOI:7P0:wa7:0KMl00I0D00000,0*00' });
    const sink = await DuckDbSink.open({ path: join(dir, 'dl.duckdb') });
    try {
      const { rows } = await sink.query('select mmsi, shipname, callsign from vessels');
      expect(rows).toEqual([['235000001', 'SOLENT STAR', 'MABC1']]);
    } finally {
      await sink.close();
    }
  }, 240_000);
});
