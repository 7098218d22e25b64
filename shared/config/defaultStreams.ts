/**
 * The streams `driftline run` uses when no driftline.yaml is given, in the form a user would write
 * them. The windows follow the ones the models were trained on (`models/<name>/<version>/manifest.json`).
 */
export const defaultStreams = {
  vessels: {
    schema: 'vessel_position',
    topic: 'driftline/vessels/{key}/position',
    window: { kind: 'tumbling', size: '24h' },
    watermark: { max_out_of_orderness: '10m', idle_timeout: '10s', advance_when_idle: true },
    allowed_lateness: '1h',
    max_future_skew: '1h',
    // A 24 h window closes only after a simulated day; early panes show results within seconds.
    trigger: { early_every: '10s' },
    features: 'fishing-track',
    model: { name: 'fishing-gear', version: 'v1' },
    sink_table: 'predictions',
  },
  plants: {
    schema: 'plant_telemetry',
    topic: 'driftline/plants/{key}/telemetry',
    window: { kind: 'tumbling', size: '5m' },
    watermark: { max_out_of_orderness: '30s', idle_timeout: '10s', advance_when_idle: true },
    allowed_lateness: '5m',
    max_future_skew: '10m',
    trigger: {},
    features: 'cooling-plant',
    model: { name: 'cooling-pue', version: '1.0.0' },
    sink_table: 'predictions',
  },
} as const;
