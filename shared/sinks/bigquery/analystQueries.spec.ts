import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analystQueries, analystSql } from './analystQueries.js';

describe('analyst queries', () => {
  it.each(analystQueries.map((q) => [q.title, q] as const))('README.md shows "%s" exactly as tested (project my-project, dataset driftline)', (_title, query) => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`sql\n${analystSql(query, 'my-project', 'driftline')}\n\`\`\``);
  });

  it('reads the de-duplicating views, never the raw streamed tables', () => {
    for (const q of analystQueries) expect(q.sql).toMatch(/FROM `\{dataset\}\.\w+_dedup`/);
  });
});
