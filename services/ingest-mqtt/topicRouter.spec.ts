import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driftlineConfigSchema } from '../../shared/config/configSchema.js';
import { compileTopicPattern, matchTopic } from '../../shared/config/topicPattern.js';
import { TopicRouter } from './topicRouter.js';

const streams = driftlineConfigSchema.parse({}).streams;
const patterns = Object.entries(streams).map(([stream, c]) => ({ stream, pattern: compileTopicPattern(c.topic) }));

/** The route straight from the patterns, as the router answers without its memo. */
function expected(topic: string): { stream: string; key: string } | undefined {
  for (const { stream, pattern } of patterns) {
    const key = matchTopic(pattern, topic);
    if (key !== undefined) return { stream, key };
  }
  return undefined;
}

const level = fc.stringMatching(/^[a-z0-9/+#]{0,6}$/);
const topic = fc.oneof(
  fc.tuple(fc.constantFrom('driftline/vessels/', 'driftline/plants/', 'driftline/x/', ''), level, fc.constantFrom('/position', '/telemetry', '', '/position/x'))
    .map(([a, b, c]) => a + b + c),
  fc.string(),
);

describe('TopicRouter', () => {
  it('routes every topic as its streams\' patterns say, asked once or many times', () => {
    const router = new TopicRouter(streams);
    fc.assert(fc.property(fc.array(topic, { maxLength: 20 }), (topics) => {
      for (const t of [...topics, ...topics]) {
        const route = router.route(t);
        const want = expected(t);
        if (want === undefined) expect(route).toBeUndefined();
        else expect(route).toMatchObject(want);
        if (route) expect(route.config).toBe(streams[route.stream]);
      }
    }), { numRuns: 300 });
  });

  it('keeps answering right past the most topics it remembers', () => {
    const router = new TopicRouter(streams);
    for (let i = 0; i < 100_050; i++) router.route(`driftline/vessels/${i}/position`);
    expect(router.route('driftline/vessels/7/position')).toMatchObject({ stream: 'vessels', key: '7' });
    expect(router.route('driftline/vessels/100049/position')).toMatchObject({ stream: 'vessels', key: '100049' });
    expect(router.route('driftline/ships/7/position')).toBeUndefined();
  });
});
