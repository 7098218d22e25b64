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

  it('match exactly like comparing topic levels one by one, for any pattern and topic', () => {
    const byLevels = (q: ReturnType<typeof compileTopicPattern>, topic: string): string | undefined => {
      const levels = topic.split('/');
      if (levels.length !== q.levels.length) return undefined;
      if (levels.some((l, i) => i !== q.keyLevel && l !== q.levels[i])) return undefined;
      return levels[q.keyLevel] || undefined;
    };
    const level = fc.constantFrom('a', 'b', 'ab', '', 'x/y', '{key}'.slice(1));
    const pattern = fc.tuple(fc.array(fc.constantFrom('a', 'b', 'ab', ''), { maxLength: 3 }), fc.array(fc.constantFrom('a', 'b', 'ab', ''), { maxLength: 3 }))
      .map(([before, after]) => [...before, '{key}', ...after].join('/'))
      .filter((t) => topicPatternProblem(t) === undefined);
    fc.assert(fc.property(pattern, fc.array(level, { maxLength: 6 }), (t, levels) => {
      const q = compileTopicPattern(t);
      // topics built from the pattern's own levels (most match or nearly match) and free-form ones
      const near = q.levels.map((l, i) => (i === q.keyLevel ? levels.join('/') : l)).join('/');
      for (const topic of [near, levels.join('/')]) expect(matchTopic(q, topic)).toBe(byLevels(q, topic));
    }), { numRuns: 2000 });
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
