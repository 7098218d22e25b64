import type { TableDef } from './tableDef.js';
import { warehouseTables } from './tables.js';

const escape = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * The warehouse tables as Markdown, generated from the declarations so the README's reference can
 * never disagree with the tables: `npx tsx schemas/tables/tableReference.ts` prints it, and a spec
 * checks README.md holds the current text between its `tables:begin`/`tables:end` markers.
 */
export function tableMarkdown(def: TableDef): string {
  const layout = [
    `primary key \`${def.primaryKey}\``,
    def.partitioning ? `BigQuery: partitioned by ${def.partitioning.granularity.toLowerCase()} of \`${def.partitioning.column}\`` : undefined,
    def.clustering ? `clustered by ${def.clustering.map((c) => `\`${c}\``).join(', ')}` : undefined,
  ].filter(Boolean).join('; ');
  const rows = def.columns.map((c) => {
    const type = c.values ? `${c.type}: ${c.values.map((v) => `\`${v}\``).join(' \\| ')}` : c.type;
    return `| \`${c.name}\` | ${type} | ${c.nullable ? 'yes' : 'no'} | ${escape(c.description)} |`;
  });
  return [
    `#### \`${def.name}\``,
    '',
    `${def.description} (${layout}.)`,
    '',
    '| column | type | nullable | meaning |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function tablesMarkdown(): string {
  return Object.values(warehouseTables).map(tableMarkdown).join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${tablesMarkdown()}\n`);
