import { describe, expect, it } from 'vitest';
import { windowingConfigSchema } from '../windowing/config.js';
import { streamSchema } from './streamSchema.js';

const base = { schema: 'plant_telemetry', topic: 't/{key}', features: 'f', model: { name: 'm', version: 1 } };

describe('stream windowing keys', () => {
  it('default exactly as the windowing engine defaults them', () => {
    for (const window of [{ kind: 'tumbling', size: '5m' }, { kind: 'sliding', size: '1h', period: '10m' }, { kind: 'session', gap: '30m' }]) {
      const ours = streamSchema.parse({ ...base, window });
      expect(ours.windowing).toEqual(windowingConfigSchema.parse({ window }));
    }
  });

  it('carry every explicit value through to the engine config', () => {
    const input = {
      window: { kind: 'sliding', size: '1h', period: '15m', offset: '5m' },
      watermark: { max_out_of_orderness: '30s', idle_timeout: null, advance_when_idle: true },
      allowed_lateness: '10m',
      max_future_skew: '2h',
      trigger: { early_every: '20s' },
      accumulation: 'discarding',
    };
    expect(streamSchema.parse({ ...base, ...input }).windowing).toEqual(windowingConfigSchema.parse(input));
  });

  it('report the engine\'s cross-field rules at the right key', () => {
    const r = streamSchema.safeParse({ ...base, window: { kind: 'sliding', size: '5m', period: '10m' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['window.period']);
  });
});
