import { describe, expect, it } from 'vitest';
import { warehouseTables } from '../../../schemas/tables/tables.js';
import { dedupClause, dedupViewName, dedupViewQuery } from './dedupViews.js';

describe('dedup views', () => {
  it('predictions: one row per row_id, windowed per (window_end, row_id) so window_end filters prune partitions; earliest copy wins', () => {
    expect(dedupClause(warehouseTables.predictions))
      .toBe('WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY window_end, row_id ORDER BY processed_at ASC) = 1');
    expect(dedupViewName(warehouseTables.predictions)).toBe('predictions_dedup');
    expect(dedupViewQuery(warehouseTables.predictions, 'p', 'd')).toMatch(/^SELECT \* FROM `p\.d\.predictions` WHERE TRUE QUALIFY/);
  });

  it('vessels keeps the newest report per MMSI; dead letters and late events the first received copy per id', () => {
    expect(dedupClause(warehouseTables.vessels)).toContain('PARTITION BY mmsi ORDER BY updated_at DESC');
    expect(dedupClause(warehouseTables.dead_letters)).toContain('PARTITION BY id ORDER BY received_at ASC');
    expect(dedupClause(warehouseTables.late_events)).toContain('PARTITION BY id ORDER BY received_at ASC');
  });
});
