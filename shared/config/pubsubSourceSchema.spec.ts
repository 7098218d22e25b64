import { describe, expect, it } from 'vitest';
import { configProblems } from './fixtures/configProblems.js';
import { parseConfigText } from './loadConfig.js';


const yaml = (...lines: string[]) => lines.join('\n');

describe('sources.pubsub', () => {
  it('is unset by default and fills its defaults when given', () => {
    expect(parseConfigText('log_level: warn\n', 'driftline.yaml', {}).sources.pubsub).toBeUndefined();
    const config = parseConfigText(yaml('sources:', '  pubsub:', '    subscriptions:', '      - { subscription: plant-telemetry, stream: plants }'), 'driftline.yaml', {});
    expect(config.sources.pubsub).toEqual({
      subscriptions: [{ subscription: 'plant-telemetry', stream: 'plants' }],
      identity_attribute: 'deviceId',
      max_outstanding_messages: 1000,
      ack_deadline: 60_000,
      batch: { max_messages: 500, linger: 0 },
      retry_backoff: { initial: 500, max: 30_000 },
    });
  });

  it('accepts a full subscription path and ${ENV} for the project', () => {
    const config = parseConfigText(yaml('sources:', '  pubsub:', '    project_id: ${PROJECT}',
      '    subscriptions: [{ subscription: projects/p1/subscriptions/boats-in, stream: vessels }]'), 'driftline.yaml', { PROJECT: 'fleet-prod' });
    expect(config.sources.pubsub?.project_id).toBe('fleet-prod');
    expect(config.sources.pubsub?.subscriptions[0]?.subscription).toBe('projects/p1/subscriptions/boats-in');
  });

  it('names the subscription\'s stream key when the stream does not exist, with the declared ones as the fix', () => {
    const found = configProblems(yaml('sources:', '  pubsub:', '    subscriptions:',
      '      - { subscription: plant-telemetry, stream: plants }', '      - { subscription: boats-in, stream: boats }'));
    expect(found.map((p) => [p.path, p.message])).toEqual([['sources.pubsub.subscriptions[1].stream', 'no stream named "boats"']]);
    expect(found[0]!.fix).toMatch(/vessels, plants/);
    expect(found[0]!.line).toBe(5);
  });

  it('refuses a subscription listed twice, naming the second', () => {
    const found = configProblems(yaml('sources:', '  pubsub:', '    subscriptions:',
      '      - { subscription: shared-sub, stream: plants }', '      - { subscription: projects/x/subscriptions/shared-sub, stream: vessels }'));
    expect(found.map((p) => p.path)).toEqual(['sources.pubsub.subscriptions[1].subscription']);
    expect(found[0]!.message).toMatch(/already listed at sources\.pubsub\.subscriptions\[0\]/);
  });

  it('rejects bad ids, an empty list, ack deadlines outside Pub/Sub\'s limits and unknown keys, each with its path', () => {
    const found = configProblems(yaml('sources:', '  pubsub:', '    subscriptions: [{ subscription: "9bad", stream: plants }]', '    ack_deadline: 5s', '    max_outstanding: 10'));
    expect(found.map((p) => p.path).sort()).toEqual(['sources.pubsub.ack_deadline', 'sources.pubsub.max_outstanding', 'sources.pubsub.subscriptions[0].subscription']);
    expect(found.find((p) => p.path === 'sources.pubsub.ack_deadline')!.message).toMatch(/10s to 600s/);
    expect(found.find((p) => p.path === 'sources.pubsub.max_outstanding')!.fix).toMatch(/max_outstanding_messages/);
    const empty = configProblems(yaml('sources:', '  pubsub:', '    subscriptions: []'));
    expect(empty.map((p) => p.path)).toEqual(['sources.pubsub.subscriptions']);
  });
});
