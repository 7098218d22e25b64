import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultConfigInput } from './defaultsYaml.js';
import { ConfigError } from './configProblem.js';
import { parseConfigText } from './loadConfig.js';

/** Replace the value at one random path of the default config with an arbitrary value. */
function mutate(base: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || base === null || typeof base !== 'object') return replacement;
  const entries = Object.entries(base as Record<string, unknown>);
  if (entries.length === 0) return replacement;
  const [key, value] = entries[path[0] % entries.length];
  return { ...(base as Record<string, unknown>), [key]: mutate(value, path.slice(1), replacement) };
}

describe('config validation never crashes', () => {
  it('any mutation of the defaults either validates or fails with ConfigError problems that name a key', () => {
    const base = defaultConfigInput();
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), (path, replacement) => {
        const text = stringify(mutate(base, path, replacement));
        try {
          parseConfigText(text, 'fuzz.yaml', {});
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          for (const p of (err as ConfigError).problems) {
            expect(p.message.length).toBeGreaterThan(0);
            const namesKey = p.path.length > 0 || p.message.startsWith('YAML') || p.message.includes('mapping of keys');
            expect(namesKey, p.message).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
