import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableMarkdown, tablesMarkdown } from './tableReference.js';
import { warehouseTables } from './tables.js';

describe('table reference', () => {
  it('lists every column of a table with type, nullability and description', () => {
    const md = tableMarkdown(warehouseTables.late_events);
    for (const c of warehouseTables.late_events.columns) expect(md).toContain(`| \`${c.name}\` | `);
    expect(md).toMatch(/\| `reason` \| string: `late` \\\| `future` \| no \|/);
    expect(md).toMatch(/\| `watermark` \| timestamp \| yes \|/);
  });

  it('README.md holds the current reference (regenerate it with `npx tsx schemas/tables/tableReference.ts`)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const between = /<!-- tables:begin -->\n([\s\S]*?)\n<!-- tables:end -->/.exec(readme);
    expect(between, 'README.md lacks the tables:begin/end markers').not.toBeNull();
    expect(between![1]).toBe(tablesMarkdown());
  });
});
