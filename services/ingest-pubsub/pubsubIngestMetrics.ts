import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Prometheus metrics of the Pub/Sub ingest, registered on the caller's registry. Names differ from the
 * MQTT ingest's (`driftline_ingest_*`) because `driftline run` can run both on one registry.
 */
export function createPubSubIngestMetrics(registry: Registry) {
  const registers = [registry];
  return {
    received: new Counter({ name: 'driftline_ingest_pubsub_messages_received_total', help: 'Pub/Sub messages received, by subscription', labelNames: ['subscription'] as const, registers }),
    valid: new Counter({ name: 'driftline_ingest_pubsub_messages_valid_total', help: 'messages that passed validation and were appended to their stream', labelNames: ['stream'] as const, registers }),
    deadLetters: new Counter({ name: 'driftline_ingest_pubsub_dead_letters_total', help: 'messages routed to dead_letters, by reason', labelNames: ['reason'] as const, registers }),
    redelivered: new Counter({ name: 'driftline_ingest_pubsub_messages_redelivered_total', help: 'messages Pub/Sub delivered more than once (counted only on subscriptions with a dead-letter policy, where Pub/Sub reports attempts)', registers }),
    acked: new Counter({ name: 'driftline_ingest_pubsub_messages_acked_total', help: 'messages acknowledged after they were durable on the bus', registers }),
    nacked: new Counter({ name: 'driftline_ingest_pubsub_messages_nacked_total', help: 'messages handed back to Pub/Sub for redelivery (bus append failed, or the ingest was stopping)', registers }),
    appendSeconds: new Histogram({ name: 'driftline_ingest_pubsub_bus_append_seconds', help: 'time to make one batch durable on the bus', buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers }),
    batchSize: new Histogram({ name: 'driftline_ingest_pubsub_batch_messages', help: 'messages per durable bus append', buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000], registers }),
    appendFailures: new Counter({ name: 'driftline_ingest_pubsub_bus_append_failures_total', help: 'failed bus appends (their messages are nacked after a backoff)', registers }),
    pending: new Gauge({ name: 'driftline_ingest_pubsub_unacked_messages', help: 'messages received but not yet durable and acknowledged', registers }),
    subscriptionErrors: new Counter({ name: 'driftline_ingest_pubsub_subscription_errors_total', help: 'errors reported by a subscription\'s streaming pull, by subscription', labelNames: ['subscription'] as const, registers }),
  };
}

export type PubSubIngestMetrics = ReturnType<typeof createPubSubIngestMetrics>;
