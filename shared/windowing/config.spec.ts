import { describe, expect, it } from 'vitest';
import { parseWindowingConfig, parseWindowingConfigYaml, WindowingConfigError } from './config.js';

function issuesOf(input: unknown, options?: Parameters<typeof parseWindowingConfig>[1]) {
  try {
    parseWindowingConfig(input, options);
  } catch (err) {
    expect(err).toBeInstanceOf(WindowingConfigError);
    return (err as WindowingConfigError).issues;
  }
  throw new Error('expected the config to be rejected');
}

describe('windowing config', () => {
  it('parses the YAML operators write, with durations as strings or milliseconds', () => {
    const config = parseWindowingConfigYaml(`
window: { kind: sliding, size: 24h, period: 1h }
watermark:
  max_out_of_orderness: 30s
  idle_timeout: 5m
  advance_when_idle: true
allowed_lateness: 1d
max_future_skew: 600000
trigger: { early_every: 30s }
accumulation: discarding
`);
    expect(config).toEqual({
      window: { kind: 'sliding', sizeMs: 86_400_000, periodMs: 3_600_000, offsetMs: 0 },
      watermark: { maxOutOfOrdernessMs: 30_000, idleTimeoutMs: 300_000, advanceWhenIdle: true },
      allowedLatenessMs: 86_400_000,
      maxFutureSkewMs: 600_000,
      trigger: { earlyEveryMs: 30_000 },
      accumulation: 'discarding',
    });
  });

  it('fills defaults for everything but the window', () => {
    expect(parseWindowingConfig({ window: { kind: 'session', gap: '30m' } })).toEqual({
      window: { kind: 'session', gapMs: 1_800_000 },
      watermark: { maxOutOfOrdernessMs: 0, idleTimeoutMs: 60_000, advanceWhenIdle: false },
      allowedLatenessMs: 0,
      maxFutureSkewMs: 300_000,
      trigger: { earlyEveryMs: null },
      accumulation: 'accumulating',
    });
    expect(parseWindowingConfig({ window: { kind: 'tumbling', size: '1h', offset: '30m' }, watermark: { idle_timeout: null } })).toMatchObject({
      window: { kind: 'tumbling', sizeMs: 3_600_000, offsetMs: 1_800_000 },
      watermark: { idleTimeoutMs: null },
    });
  });

  it('rejects negative sizes, naming the field', () => {
    expect(issuesOf({ window: { kind: 'tumbling', size: '-5m' } })).toEqual([{ path: 'window.size', message: expect.stringMatching(/negative duration "-5m"/) }]);
    expect(issuesOf({ window: { kind: 'sliding', size: -1000, period: '1m' } })).toEqual([{ path: 'window.size', message: expect.stringMatching(/negative/) }]);
    expect(issuesOf({ window: { kind: 'session', gap: '0s' } })).toEqual([{ path: 'window.gap', message: expect.stringMatching(/greater than 0/) }]);
    expect(issuesOf({ window: { kind: 'tumbling', size: '1m' }, allowed_lateness: '-1s' })[0]!.path).toBe('allowed_lateness');
    expect(issuesOf({ window: { kind: 'tumbling', size: '1m' }, watermark: { max_out_of_orderness: '-2s' } })[0]!.path).toBe('watermark.max_out_of_orderness');
  });

  it('rejects a period larger than the size, naming the field', () => {
    expect(issuesOf({ window: { kind: 'sliding', size: '1h', period: '2h' } })).toEqual([{ path: 'window.period', message: 'must not exceed window.size (1h); got 2h' }]);
  });

  it('rejects an unknown window kind, naming the field and the valid kinds', () => {
    expect(issuesOf({ window: { kind: 'hopping', size: '1h' } })).toEqual([{ path: 'window.kind', message: 'unknown window kind "hopping"; use one of tumbling, sliding, session' }]);
    expect(issuesOf({})).toEqual([{ path: 'window', message: 'is required, e.g. {kind: tumbling, size: 1h}' }]);
  });

  it('rejects unknown keys (typos) and malformed durations, naming each field', () => {
    const issues = issuesOf({ window: { kind: 'tumbling', size: '1m', sise: '2m' }, allowed_latness: '5m', max_future_skew: '5 minutes' });
    expect(issues.map((i) => i.path).sort()).toEqual(['allowed_latness', 'max_future_skew', 'window.sise']);
    expect(issuesOf({ window: { kind: 'tumbling', size: '300' } })[0]!.message).toMatch(/no unit; write "300ms" or "300s"/);
    expect(issuesOf({ window: { kind: 'tumbling', size: '1m', offset: '1m' } })).toEqual([{ path: 'window.offset', message: 'must be smaller than window.size (1m); got 1m' }]);
  });

  it('prefixes paths and names the file when the block sits in a larger config', () => {
    try {
      parseWindowingConfig({ window: { kind: 'sliding', size: '1h', period: '2h' } }, { source: 'driftline.yaml', pathPrefix: ['streams', 0] });
      throw new Error('not rejected');
    } catch (err) {
      expect((err as Error).message).toBe('invalid windowing config in driftline.yaml:\n  streams.0.window.period: must not exceed window.size (1h); got 2h');
    }
  });

  it('reports YAML syntax errors as config errors', () => {
    expect(() => parseWindowingConfigYaml('window: {kind: tumbling', { source: 'w.yaml' })).toThrow(/in w.yaml:\n {2}\(root\): not valid YAML/);
  });
});
