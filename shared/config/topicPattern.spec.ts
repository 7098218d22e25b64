import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterCovers } from './topicFilter.js';
import { compileTopicPattern, matchTopic, patternsOverlap, topicPatternProblem } from './topicPattern.js';

describe('topic patterns', () => {
  const p = compileTopicPattern('driftline/vessels/{key}/position');

  it('subscribe with {key} as +', () => {
    expect(p.filter).toBe('driftline/vessels/+/position');
  });

  it('read the key back out of a topic', () => {
    expect(matchTopic(p, 'driftline/vessels/244660000/position')).toBe('244660000');
    expect(matchTopic(p, 'driftline/vessels//position')).toBeUndefined();
    expect(matchTopic(p, 'driftline/vessels/1/position/x')).toBeUndefined();
    expect(matchTopic(p, 'driftline/plants/1/position')).toBeUndefined();
  });

  it('any key without "/" round-trips through the topic', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }).filter((k) => !k.includes('/')), (key) => {
      expect(matchTopic(p, `driftline/vessels/${key}/position`)).toBe(key);
    }));
  });

  it('reject patterns without exactly one {key} level, wildcards or $ topics', () => {
    expect(topicPatternProblem('a/b')).toMatch(/exactly one/);
    expect(topicPatternProblem('a/{key}/{key}')).toMatch(/exactly one/);
    expect(topicPatternProblem('a/x{key}')).toMatch(/exactly one/);
    expect(topicPatternProblem('a/{key}/#')).toMatch(/wildcard/);
    expect(topicPatternProblem('$SYS/{key}')).toMatch(/system topics/);
    expect(topicPatternProblem('')).toMatch(/empty/);
    expect(topicPatternProblem('a/{key}')).toBeUndefined();
    expect(() => compileTopicPattern('a/+')).toThrow(/exactly one/);
  });

  it('detect patterns that could match the same topic', () => {
    expect(patternsOverlap(compileTopicPattern('a/{key}/t'), compileTopicPattern('a/x/{key}'))).toBe(true);
    expect(patternsOverlap(compileTopicPattern('a/{key}/t'), compileTopicPattern('a/{key}/u'))).toBe(false);
    expect(patternsOverlap(compileTopicPattern('a/{key}'), compileTopicPattern('a/{key}/u'))).toBe(false);
  });
});

describe('filterCovers', () => {
  it('follows MQTT wildcard rules', () => {
    expect(filterCovers('driftline/#', 'driftline/vessels/+/position')).toBe(true);
    expect(filterCovers('#', 'a/+')).toBe(true);
    expect(filterCovers('driftline/+/+/position', 'driftline/vessels/+/position')).toBe(true);
    expect(filterCovers('driftline/vessels/1/position', 'driftline/vessels/+/position')).toBe(false);
    expect(filterCovers('driftline/plants/#', 'driftline/vessels/+/position')).toBe(false);
    expect(filterCovers('a/+', 'a/+/b')).toBe(false);
  });
});
