import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of the MQTT ingest, registered on the caller's registry. */
export function createIngestMetrics(registry: Registry) {
  const registers = [registry];
  return {
    received: new Counter({ name: 'driftline_ingest_messages_received_total', help: 'MQTT messages received, by stream (`unknown` when no stream matches)', labelNames: ['stream'] as const, registers }),
    valid: new Counter({ name: 'driftline_ingest_messages_valid_total', help: 'messages that passed validation and were appended to their stream', labelNames: ['stream'] as const, registers }),
    deadLetters: new Counter({ name: 'driftline_ingest_dead_letters_total', help: 'messages routed to dead_letters, by reason', labelNames: ['reason'] as const, registers }),
    redelivered: new Counter({ name: 'driftline_ingest_messages_redelivered_total', help: 'messages the broker flagged as redeliveries (DUP)', registers }),
    acked: new Counter({ name: 'driftline_ingest_messages_acked_total', help: 'QoS 1 messages acknowledged after they were durable on the bus', registers }),
    ackSkipped: new Counter({ name: 'driftline_ingest_acks_skipped_total', help: 'durable messages not acknowledged because their connection had closed (the broker redelivers them)', registers }),
    appendSeconds: new Histogram({ name: 'driftline_ingest_bus_append_seconds', help: 'time to make one batch durable on the bus', buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers }),
    batchSize: new Histogram({ name: 'driftline_ingest_batch_messages', help: 'messages per durable bus append', buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000], registers }),
    appendFailures: new Counter({ name: 'driftline_ingest_bus_append_failures_total', help: 'failed bus appends (retried; messages stay unacknowledged)', registers }),
    pending: new Gauge({ name: 'driftline_ingest_unacked_messages', help: 'messages received but not yet durable and acknowledged', registers }),
    connected: new Gauge({ name: 'driftline_ingest_mqtt_connected', help: '1 while connected to the MQTT broker', registers }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
