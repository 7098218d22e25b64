import { describe, expect, it } from 'vitest';
import { parseAisCatcherJson, parseRxTime } from './aisCatcherMessage.js';
import { topicTemplateToFilter } from './aisCatcherMqttSource.js';
import { Backoff } from './backoff.js';
import { LineSplitter } from './lineSplitter.js';
import { topicMatches } from './mqttNmeaSource.js';

describe('LineSplitter', () => {
  it('carries partial lines across chunks and cuts off overlong ones', () => {
    const lines: string[] = [];
    const overlong: number[] = [];
    const s = new LineSplitter((l) => lines.push(l), (_start, n) => overlong.push(n), 10);
    s.push('ab');
    s.push('c\nde');
    s.push('f\n\ngh');
    expect(lines).toEqual(['abc', 'def', '']);
    s.push('ijklmnopqrstuvwxyz');
    expect(overlong).toEqual([20]);
    s.push('k\n');
    expect(lines).toEqual(['abc', 'def', '', 'k']);
    s.push('tail');
    expect(s.takeRest()).toBe('tail');
    expect(s.takeRest()).toBe('');
  });
});

describe('Backoff', () => {
  it('grows exponentially to a cap, with bounded jitter, and resets', () => {
    const b = new Backoff({ initialMs: 100, factor: 2, maxMs: 1000, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
    const jittered = new Backoff({ initialMs: 1000, jitter: 0.2 }, () => 0);
    expect(jittered.next()).toBe(800);
    expect(new Backoff({ initialMs: 1000, jitter: 0.2 }, () => 0.999999).next()).toBe(1200);
  });
});

describe('AIS-catcher JSON', () => {
  it('parses rxtime as UTC and refuses impossible dates', () => {
    expect(parseRxTime('20261129120003')).toBe(Date.UTC(2026, 10, 29, 12, 0, 3));
    expect(parseRxTime('20261340120003')).toBeNull();
    expect(parseRxTime('20260230120003')).toBeNull();
    expect(parseRxTime('2026112912000')).toBeNull();
  });
  it('prefers rxuxtime, accepts a single nmea string, and names what is missing', () => {
    expect(parseAisCatcherJson('{"nmea":"!A","rxuxtime":1700000000.5,"rxtime":"20261129120003","station_id":3}')).toEqual({
      envelope: { nmea: ['!A'], receivedAt: 1700000000500, station: '3' },
    });
    expect(parseAisCatcherJson('[1]')).toEqual({ error: 'AIS-catcher payload is not a JSON object' });
    expect(parseAisCatcherJson('{"nmea":[]}')).toMatchObject({ error: expect.stringMatching(/no "nmea" array/) });
    expect(parseAisCatcherJson('{"nmea":["!A"]}')).toEqual({ envelope: { nmea: ['!A'], receivedAt: null, station: null } });
  });
});

describe('MQTT topics', () => {
  it('turns AIS-catcher topic templates into subscription filters', () => {
    expect(topicTemplateToFilter('ais/<mmsi>/data')).toBe('ais/+/data');
    expect(topicTemplateToFilter('ais/%mmsi%/data')).toBe('ais/+/data');
    expect(topicTemplateToFilter('ais/{mmsi}/data')).toBe('ais/+/data');
    expect(topicTemplateToFilter('ais/#')).toBe('ais/#');
  });
  it('matches + and # like a broker', () => {
    expect(topicMatches('ais/+/data', 'ais/123/data')).toBe(true);
    expect(topicMatches('ais/+/data', 'ais/123/other')).toBe(false);
    expect(topicMatches('ais/+/data', 'ais/123/data/x')).toBe(false);
    expect(topicMatches('ais/#', 'ais/1/2/3')).toBe(true);
    expect(topicMatches('ais/nmea', 'ais/nmea')).toBe(true);
  });
});
