import { describe, expect, it } from 'vitest';
import { configProblems } from './fixtures/configProblems.js';
import { parseConfigText } from './loadConfig.js';


describe('sources.ais', () => {
  it('is unset by default and fills its defaults when given', () => {
    expect(parseConfigText('log_level: warn\n', 'driftline.yaml', {}).sources.ais).toBeUndefined();
    const config = parseConfigText(['sources:', '  ais:', '    tcp: [{ host: 127.0.0.1, port: 10110 }]', '    ais_catcher: { topic: "ais/<mmsi>/data" }'].join('\n'), 'driftline.yaml', {});
    expect(config.sources.ais).toEqual({
      stream: 'vessels', tcp: [{ host: '127.0.0.1', port: 10110 }], ais_catcher: { topic: 'ais/<mmsi>/data' }, max_fragment_age: 10_000,
    });
  });

  it('names sources.ais.stream when the stream is missing or not vessel_position', () => {
    const missing = configProblems(['sources:', '  ais:', '    stream: boats'].join('\n'));
    expect(missing.map((p) => [p.path, p.message])).toEqual([['sources.ais.stream', 'no stream named "boats"']]);
    const wrong = configProblems(['sources:', '  ais:', '    stream: plants'].join('\n'));
    expect(wrong[0]!.path).toBe('sources.ais.stream');
    expect(wrong[0]!.message).toMatch(/schema plant_telemetry/);
  });

  it('refuses an AIS MQTT topic that sources.mqtt.topics also subscribes to', () => {
    const clash = configProblems(['sources:', '  mqtt: { topics: ["#"] }', '  ais:', '    ais_catcher: { topic: "ais/<mmsi>/data" }'].join('\n'));
    expect(clash.map((p) => p.path)).toEqual(['sources.ais.ais_catcher.topic']);
    expect(clash[0]!.message).toMatch(/"#" also receives ais\/\+\/data/);
    const apart = ['sources:', '  mqtt: { topics: ["driftline/#"] }', '  ais:', '    mqtt_nmea: { topic: "ais/nmea" }'].join('\n');
    expect(parseConfigText(apart, 'driftline.yaml', {}).sources.ais?.mqtt_nmea).toEqual({ topic: 'ais/nmea' });
  });

  it('rejects bad ports and durations with the key', () => {
    const bad = configProblems(['sources:', '  ais:', '    tcp: [{ host: a, port: 70000 }]', '    max_fragment_age: 0s'].join('\n'));
    expect(bad.map((p) => p.path).sort()).toEqual(['sources.ais.max_fragment_age', 'sources.ais.tcp[0].port']);
  });
});
