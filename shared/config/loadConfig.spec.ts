import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, type ConfigProblem } from './configProblem.js';
import { defaultConfig, loadConfig, parseConfigText, resolveConfigPath } from './loadConfig.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function problems(text: string, env: Record<string, string> = {}): ConfigProblem[] {
  try {
    parseConfigText(text, 'driftline.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
}

/** A valid single-stream config with `patch` lines appended under the stream. */
function streamYaml(lines: string): string {
  return [
    'streams:',
    '  plants:',
    '    schema: plant_telemetry',
    '    topic: driftline/plants/{key}/telemetry',
    '    window: { kind: tumbling, size: 5m }',
    '    features: plant-cooling',
    '    model: { name: cooling-pue, version: 1 }',
    lines,
  ].join('\n');
}

describe('defaults', () => {
  it('validate, with two streams on the embedded pipeline and the simulator', () => {
    const c = defaultConfig();
    expect(Object.keys(c.streams)).toEqual(['vessels', 'plants']);
    expect(c.streams.vessels.model.name).toBe('fishing-gear');
    expect(c.streams.vessels.key_field).toBe('mmsi');
    expect(c.streams.plants.model.name).toBe('cooling-pue');
    expect(c.streams.plants.window).toEqual({ kind: 'tumbling', size: 300_000, offset: 0 });
    expect(c.streams.plants.windowing.window).toEqual({ kind: 'tumbling', sizeMs: 300_000, offsetMs: 0 });
    expect(c.sources.mqtt.url).toBeUndefined();
    expect(c.bus.kind).toBe('embedded');
    expect(c.sink.kind).toBe('duckdb');
    expect(c.simulator.enabled).toBe(true);
  });

  it('an empty file means the defaults', () => {
    expect(parseConfigText('')).toEqual(defaultConfig());
    expect(parseConfigText('# only a comment\n')).toEqual(defaultConfig());
  });

  it('loadConfig without a path uses the built-in defaults', () => {
    const loaded = loadConfig(undefined);
    expect(loaded.source).toBe('(built-in defaults)');
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('driftline.example.yaml', () => {
  it('validates', () => {
    const loaded = loadConfig(join(repoRoot, 'driftline.example.yaml'), {});
    expect(loaded.config.sources.mqtt.url).toBe('mqtt://127.0.0.1:1883');
    expect(loaded.config.simulator.enabled).toBe(false);
    expect(Object.keys(loaded.config.streams)).toEqual(['vessels', 'plants']);
  });
});

describe('errors name the key, its line and a fix', () => {
  const cases: { name: string; yaml: string; path: string; line?: number; message: RegExp }[] = [
    { name: 'bad duration', yaml: streamYaml('    allowed_lateness: 5 minutes'), path: 'streams.plants.allowed_lateness', line: 8, message: /not a duration/ },
    { name: 'zero window size', yaml: streamYaml('').replace('size: 5m', 'size: 0s'), path: 'streams.plants.window.size', line: 5, message: /longer than 0/ },
    { name: 'unknown window kind', yaml: streamYaml('').replace('kind: tumbling', 'kind: hopping'), path: 'streams.plants.window.kind', line: 5, message: /"hopping" is not a known kind/ },
    { name: 'typo in a key', yaml: streamYaml('    watermrk: { max_out_of_orderness: 30s }'), path: 'streams.plants.watermrk', line: 8, message: /unknown key/ },
    { name: 'missing required key', yaml: streamYaml('').replace('    features: plant-cooling\n', ''), path: 'streams.plants.features', line: 2, message: /required key is missing/ },
    { name: 'unknown schema', yaml: streamYaml('').replace('plant_telemetry', 'plant'), path: 'streams.plants.schema', line: 3, message: /"plant" is not allowed/ },
    { name: 'topic without {key}', yaml: streamYaml('').replace('{key}', '+'), path: 'streams.plants.topic', line: 4, message: /exactly one whole topic level/ },
    { name: 'key field not in schema', yaml: streamYaml('    key_field: plant'), path: 'streams.plants.key_field', line: 8, message: /not a field of schema plant_telemetry/ },
    { name: 'event-time field not in schema', yaml: streamYaml('    event_time_field: ts'), path: 'streams.plants.event_time_field', line: 8, message: /not a field/ },
    { name: 'bad sink table', yaml: streamYaml('    sink_table: Predictions-1'), path: 'streams.plants.sink_table', line: 8, message: /SQL identifier/ },
    { name: 'bad stream name', yaml: streamYaml('').replace('  plants:', '  Plants!:'), path: 'streams.Plants!', line: 2, message: /stream names must be/ },
    { name: 'reserved stream name', yaml: streamYaml('').replace('  plants:', '  dead_letters:'), path: 'streams.dead_letters', line: 2, message: /reserved/ },
    { name: 'not a broker url', yaml: 'sources:\n  mqtt:\n    url: http://example.com', path: 'sources.mqtt.url', line: 3, message: /not an MQTT broker URL/ },
    { name: 'protocol version', yaml: 'sources:\n  mqtt:\n    protocol_version: 3', path: 'sources.mqtt.protocol_version', line: 3, message: /3 is not allowed/ },
    { name: 'tls cert without key', yaml: 'sources:\n  mqtt:\n    tls:\n      cert: client.pem', path: 'sources.mqtt.tls.key', line: 3, message: /both cert and key/ },
    { name: 'bad bus kind', yaml: 'bus:\n  kind: redis', path: 'bus.kind', line: 2, message: /"redis" is not a known kind/ },
    { name: 'kafka without brokers', yaml: 'bus:\n  kind: kafka', path: 'bus.brokers', line: 1, message: /required key is missing/ },
    { name: 'partitions too small', yaml: 'bus:\n  kind: embedded\n  partitions: 0', path: 'bus.partitions', line: 3, message: /too small/ },
    { name: 'bigquery without dataset', yaml: 'sink:\n  kind: bigquery\n  project_id: p', path: 'sink.dataset', line: 1, message: /required key is missing/ },
    { name: 'port out of range', yaml: 'metrics:\n  port: 70000', path: 'metrics.port', line: 2, message: /too big/ },
    { name: 'string for a boolean', yaml: 'simulator:\n  enabled: "yes"', path: 'simulator.enabled', line: 2, message: /expected boolean, got string "yes"/ },
    { name: 'negative speed', yaml: 'simulator:\n  speed: -1', path: 'simulator.speed', line: 2, message: /too small/ },
    { name: 'log level', yaml: 'log_level: loud', path: 'log_level', line: 1, message: /"loud" is not allowed/ },
    { name: 'unknown top-level key', yaml: 'stream: {}', path: 'stream', line: 1, message: /unknown key/ },
    { name: 'subscriptions miss a stream', yaml: 'sources:\n  mqtt:\n    topics: ["other/#"]', path: 'sources.mqtt.topics', line: 3, message: /no filter receives stream "vessels"/ },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const found = problems(c.yaml);
      const p = found.find((x) => x.path === c.path);
      expect(p, `problems were: ${found.map((x) => `${x.path}: ${x.message}`).join('; ')}`).toBeDefined();
      expect(p!.message).toMatch(c.message);
      expect(p!.fix).toBeTruthy();
      if (c.line !== undefined) expect(p!.line).toBe(c.line);
    });
  }

  it('suggests the key a typo meant', () => {
    const [p] = problems(streamYaml('    windw: { kind: tumbling, size: 5m }'));
    expect(p.fix).toBe('did you mean "window"?');
  });

  it('overlapping stream topics', () => {
    const text = stringify({
      streams: {
        a: { schema: 'plant_telemetry', topic: 'x/{key}/t', window: { kind: 'tumbling', size: '5m' }, features: 'f', model: { name: 'm', version: 1 } },
        b: { schema: 'plant_telemetry', topic: 'x/plant1/{key}', window: { kind: 'tumbling', size: '5m' }, features: 'f', model: { name: 'm', version: 1 } },
      },
    });
    const [p] = problems(text);
    expect(p.path).toBe('streams.b.topic');
    expect(p.message).toMatch(/overlaps the topic of stream "a"/);
  });

  it('reports every problem at once, in file order, formatted file:line: path: message (fix: …)', () => {
    const text = 'metrics:\n  port: -1\nlog_level: loud\nsimulator:\n  seed: 1.5\n';
    try {
      parseConfigText(text, 'conf/driftline.yaml');
      expect.unreachable();
    } catch (err) {
      const lines = (err as Error).message.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^conf\/driftline\.yaml:2: metrics\.port: too small: .* \(fix: use a value ≥ 0\)$/);
      expect(lines[1]).toMatch(/^conf\/driftline\.yaml:3: log_level: /);
      expect(lines[2]).toMatch(/^conf\/driftline\.yaml:5: simulator\.seed: /);
    }
  });

  it('YAML syntax errors carry their line', () => {
    const [p] = problems('metrics:\n  port: 1\n  host: [unclosed\nlog_level: info\n');
    expect(p.message).toMatch(/^YAML syntax/);
    expect(p.line).toBeGreaterThanOrEqual(3);
  });

  it('duplicate keys are an error, not a silent override', () => {
    const [p] = problems('log_level: info\nlog_level: debug\n');
    expect(p.message).toMatch(/YAML syntax/);
    expect(p.line).toBe(2);
  });

  it('a file that is not a mapping', () => {
    const [p] = problems('- a\n- b\n');
    expect(p.message).toMatch(/mapping/);
  });

  it('a missing file names the path', () => {
    expect(() => loadConfig('/nonexistent/driftline.yaml')).toThrow(/\/nonexistent\/driftline\.yaml: file not found \(fix: /);
  });
});

describe('environment variables', () => {
  it('${VAR} is replaced in string values', () => {
    const c = parseConfigText('sources:\n  mqtt:\n    url: mqtt://h:1883\n    username: u\n    password: ${MQTT_PASSWORD}\n', 'f.yaml', { MQTT_PASSWORD: 's3cret' });
    expect(c.sources.mqtt.password).toBe('s3cret');
  });

  it('$${VAR} stays literal', () => {
    const c = parseConfigText('sources:\n  mqtt:\n    password: $${X}\n', 'f.yaml', {});
    expect(c.sources.mqtt.password).toBe('${X}');
  });

  it('an unset variable is an error at its key', () => {
    const [p] = problems('sources:\n  mqtt:\n    password: ${NOPE_NOT_SET}\n');
    expect(p.path).toBe('sources.mqtt.password');
    expect(p.line).toBe(3);
    expect(p.message).toMatch(/NOPE_NOT_SET is not set/);
  });
});

describe('normalisation', () => {
  it('durations become ms; key and event-time fields default from the schema; versions become strings', () => {
    const c = parseConfigText(streamYaml('    watermark: { max_out_of_orderness: 90000 }\n    allowed_lateness: 1.5h'));
    const s = c.streams.plants;
    expect(s.watermark.max_out_of_orderness).toBe(90_000);
    expect(s.allowed_lateness).toBe(5_400_000);
    expect(s.key_field).toBe('plant_id');
    expect(s.event_time_field).toBe('timestamp');
    expect(s.model.version).toBe('1');
    expect(s.sink_table).toBe('predictions');
  });

  it('declaring streams replaces the default streams', () => {
    expect(Object.keys(parseConfigText(streamYaml('')).streams)).toEqual(['plants']);
  });
});

describe('resolveConfigPath', () => {
  it('prefers -c, then ./driftline.yaml, then the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftline-cfg-'));
    expect(resolveConfigPath('x.yaml', dir)).toBe('x.yaml');
    expect(resolveConfigPath(undefined, dir)).toBeUndefined();
    writeFileSync(join(dir, 'driftline.yaml'), '');
    expect(resolveConfigPath(undefined, dir)).toBe('driftline.yaml');
  });
});
