import { describe, expect, it } from 'vitest';
import { configHash } from './configHash.js';
import { defaultConfig, parseConfigText } from './loadConfig.js';

const stream = (size: string, order: 'a' | 'b') => order === 'a'
  ? 'streams:\n  p:\n    schema: plant_telemetry\n    topic: t/{key}\n    window: {kind: tumbling, size: ' + size + '}\n    features: f\n    model: {name: m, version: 1}\n'
  : 'streams:\n  p:\n    model: {version: "1", name: m}\n    features: f\n    window: {size: ' + size + ', kind: tumbling}\n    topic: t/{key}\n    schema: plant_telemetry\n';

describe('configHash', () => {
  it('is a sha256 hex digest', () => {
    expect(configHash(defaultConfig())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores key order and how a duration is written', () => {
    const a = configHash(parseConfigText(stream('5m', 'a')));
    expect(configHash(parseConfigText(stream('300000', 'b')))).toBe(a);
    expect(configHash(parseConfigText(stream('300s', 'a')))).toBe(a);
  });

  it('changes when a window changes', () => {
    expect(configHash(parseConfigText(stream('5m', 'a')))).not.toBe(configHash(parseConfigText(stream('10m', 'a'))));
  });

  it('ignores connection details, paths, ports and secrets', () => {
    const base = configHash(defaultConfig());
    const other = parseConfigText([
      'sources:\n  mqtt:\n    url: mqtt://elsewhere:1883\n    password: hunter2',
      'bus:\n  kind: embedded\n  path: /tmp/other.sqlite',
      'metrics:\n  port: 0',
      'log_level: debug',
    ].join('\n'));
    expect(configHash(other)).toBe(base);
  });
});
