/**
 * The example queries of the README's analysts' section, kept here so the integration tests run the
 * very text the README shows (a spec checks the README holds them). `{dataset}` stands for
 * `project.dataset`; each reads the `<table>_dedup` views, so replayed copies never count twice.
 */
export interface AnalystQuery {
  readonly title: string;
  readonly sql: string;
}

/**
 * Fishing hours by gear per day. Assumption: the fishing-gear model labels a vessel's whole 24 h
 * window with one gear (or `non_fishing`), so a window's duration counts as hours of that gear on the
 * day the window starts. It is vessel-hours of vessels the model saw fishing with that gear, not a
 * per-position fishing/steaming split. Only the final pane of each window, and only the champion
 * model, so each window counts once.
 */
export const fishingHoursByGearPerDay: AnalystQuery = {
  title: 'Fishing hours by gear per day',
  sql: `SELECT
  DATE(window_start) AS day,
  label AS gear,
  SUM(TIMESTAMP_DIFF(window_end, window_start, SECOND)) / 3600 AS fishing_hours,
  COUNT(DISTINCT key) AS vessels
FROM \`{dataset}.predictions_dedup\`
WHERE model = 'fishing-gear' AND model_role = 'champion' AND is_final
  AND label != 'non_fishing'
GROUP BY day, gear
ORDER BY day, gear`,
};

/** The newest PUE prediction of each hall: the champion's latest pane of the latest window. */
export const latestPuePerHall: AnalystQuery = {
  title: 'Latest PUE prediction per hall',
  sql: `SELECT key AS hall, window_end, pane_timing, value AS predicted_pue, model_version
FROM \`{dataset}.predictions_dedup\`
WHERE model = 'cooling-pue' AND model_role = 'champion'
QUALIFY ROW_NUMBER() OVER (PARTITION BY key ORDER BY window_end DESC, pane_index DESC) = 1
ORDER BY hall`,
};

/** What the pipeline could not use, by reason and where it came from, with one example each. */
export const deadLettersByReason: AnalystQuery = {
  title: 'Dead letters by reason',
  sql: `SELECT reason, source, COUNT(*) AS letters, MIN(received_at) AS first_seen, MAX(received_at) AS last_seen,
  ANY_VALUE(detail) AS example
FROM \`{dataset}.dead_letters_dedup\`
GROUP BY reason, source
ORDER BY letters DESC, reason, source`,
};

export const analystQueries: readonly AnalystQuery[] = [fishingHoursByGearPerDay, latestPuePerHall, deadLettersByReason];

/** The query for one dataset: `{dataset}` replaced by `project.dataset`. */
export function analystSql(query: AnalystQuery, projectId: string, datasetId: string): string {
  return query.sql.replaceAll('{dataset}', `${projectId}.${datasetId}`);
}
