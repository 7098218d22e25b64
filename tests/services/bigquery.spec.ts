import { randomUUID } from 'node:crypto';
import { BigQuery } from '@google-cloud/bigquery';
import { expect, it } from 'vitest';
import { describeWithService } from './serviceEnv.js';

describeWithService('bigquery', 'real BigQuery emulator (BIGQUERY_EMULATOR_HOST)', (service) => {
  it('creates a dataset and a day-partitioned, clustered table, streams rows with insertAll and queries them', async () => {
    const { apiEndpoint, projectId } = service();
    const bq = new BigQuery({ projectId, apiEndpoint });
    const datasetId = `driftline_smoke_${randomUUID().replaceAll('-', '_')}`;
    const [dataset] = await bq.createDataset(datasetId);
    try {
      const [table] = await dataset.createTable('predictions', {
        schema: {
          fields: [
            { name: 'row_id', type: 'STRING', mode: 'REQUIRED' },
            { name: 'stream', type: 'STRING', mode: 'REQUIRED' },
            { name: 'key', type: 'STRING', mode: 'REQUIRED' },
            { name: 'window_end', type: 'TIMESTAMP', mode: 'REQUIRED' },
            { name: 'label', type: 'STRING', mode: 'NULLABLE' },
            { name: 'probability', type: 'FLOAT64', mode: 'NULLABLE' },
          ],
        },
        timePartitioning: { type: 'DAY', field: 'window_end' },
        clustering: { fields: ['stream', 'key'] },
      });
      const [meta] = await table.getMetadata();
      expect(meta.timePartitioning?.field).toBe('window_end');

      const rows = Array.from({ length: 50 }, (_, i) => ({
        row_id: `r${String(i).padStart(3, '0')}`,
        stream: i % 2 === 0 ? 'vessels' : 'plant',
        key: `k${i % 5}`,
        window_end: new Date(Date.UTC(2024, 0, 1 + (i % 3), 12)).toISOString(),
        label: i % 2 === 0 ? 'trawlers' : null,
        probability: i / 100,
      }));
      await table.insert(rows.map((json) => ({ insertId: json.row_id, json })), { raw: true });

      const [result] = await bq.query({
        query: `SELECT stream, COUNT(*) AS n, ROUND(SUM(probability), 2) AS p FROM \`${projectId}.${datasetId}.predictions\` GROUP BY stream ORDER BY stream`,
      });
      expect(result).toEqual([
        { stream: 'plant', n: 25, p: Number(rows.filter((r) => r.stream === 'plant').reduce((a, r) => a + r.probability, 0).toFixed(2)) },
        { stream: 'vessels', n: 25, p: Number(rows.filter((r) => r.stream === 'vessels').reduce((a, r) => a + r.probability, 0).toFixed(2)) },
      ]);
      const [one] = await bq.query({
        query: `SELECT row_id, label, window_end FROM \`${projectId}.${datasetId}.predictions\` WHERE row_id = @id`,
        params: { id: 'r004' },
      });
      expect(one).toHaveLength(1);
      expect(one[0].label).toBe('trawlers');
      expect(one[0].window_end.value).toBe('2024-01-02T12:00:00.000Z');
    } finally {
      await dataset.delete({ force: true }).catch(() => {});
    }
  });
});
