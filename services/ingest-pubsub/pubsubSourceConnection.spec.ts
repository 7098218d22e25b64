import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../shared/config/loadConfig.js';
import { pubsubSourceConnection } from './pubsubSourceConnection.js';

const config = (...lines: string[]) => parseConfigText(
  ['sources:', '  pubsub:', '    subscriptions: [{ subscription: plants-in, stream: plants }]', ...lines].join('\n'), 'driftline.yaml', {});

describe('pubsubSourceConnection', () => {
  it('takes sources.pubsub first, then the Pub/Sub bus, then PUBSUB_PROJECT_ID', () => {
    const own = config('    project_id: devices', '    emulator_host: 127.0.0.1:1', 'bus: { kind: pubsub, project_id: pipeline, emulator_host: 127.0.0.1:2 }');
    expect(pubsubSourceConnection(own.sources.pubsub!, own.bus, { PUBSUB_PROJECT_ID: 'env' })).toEqual({ projectId: 'devices', emulatorHost: '127.0.0.1:1' });
    const viaBus = config('bus: { kind: pubsub, project_id: pipeline, emulator_host: 127.0.0.1:2 }');
    expect(pubsubSourceConnection(viaBus.sources.pubsub!, viaBus.bus, { PUBSUB_PROJECT_ID: 'env' })).toEqual({ projectId: 'pipeline', emulatorHost: '127.0.0.1:2' });
    const viaEnv = config();
    expect(pubsubSourceConnection(viaEnv.sources.pubsub!, viaEnv.bus, { PUBSUB_PROJECT_ID: 'env' })).toEqual({ projectId: 'env' });
  });

  it('names the key to set when no project can be found', () => {
    const c = config();
    expect(() => pubsubSourceConnection(c.sources.pubsub!, c.bus, {})).toThrow(/sources\.pubsub\.project_id is unset.*fix: set sources\.pubsub\.project_id/);
  });
});
