import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableDef } from '../../schemas/tables/tableDef.js';
import { BigQuerySink } from '../../shared/sinks/bigquery/bigquerySink.js';
import type { BigQueryService, KafkaService, PubSubService, ServiceInfo, ServiceName } from '../services/serviceEnv.js';
import { describeWithService } from '../services/serviceEnv.js';

/**
 * What the pipeline tests on real cloud-style services (Kafka, the Pub/Sub fake, the BigQuery
 * emulator) share: unique names per test, the `bus:` and `sink:` sections for `testConfig`, and
 * readers of the BigQuery tables. Everything a test creates is named with `uniqueTag()`, so tests of
 * other helpers that share the brokers and the emulator never see each other's topics or datasets.
 */

/** Short, unique per call, valid in Kafka/Pub/Sub names, BigQuery dataset ids and MQTT topic levels. */
export function uniqueTag(): string {
  return `${process.pid}_${randomUUID().slice(0, 8)}`;
}

export function kafkaBus(kafka: KafkaService, tag: string, partitions = 4): Record<string, unknown> {
  return { kind: 'kafka', brokers: kafka.brokers, client_id: `pipeline-test-${tag}`, topic_prefix: `pipeline-${tag}.`, partitions };
}

export function pubsubBus(pubsub: PubSubService, tag: string): Record<string, unknown> {
  return { kind: 'pubsub', project_id: pubsub.projectId, emulator_host: pubsub.emulatorHost, topic_prefix: `pipeline-${tag}-` };
}

export function bigquerySink(bigquery: BigQueryService, dataset: string): Record<string, unknown> {
  return { kind: 'bigquery', project_id: bigquery.projectId, dataset, api_endpoint: bigquery.apiEndpoint };
}

/** A reader of a dataset the pipeline wrote (no init: the pipeline's sink created the tables). */
export function openWarehouse(bigquery: BigQueryService, dataset: string, tables?: readonly TableDef[]): Promise<BigQuerySink> {
  return BigQuerySink.open({ projectId: bigquery.projectId, apiEndpoint: bigquery.apiEndpoint, datasetId: dataset, init: false, ...(tables ? { tables } : {}) });
}

/**
 * The in-process pipeline keeps worker checkpoints in `./data/checkpoints.sqlite` when the bus is
 * not embedded (startPipeline takes no checkpoint path), keyed by group and stream: a test that ran
 * in the repository folder would restore another run's windows. Runs `body` from a fresh folder.
 */
export async function inFreshDirectory<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-cloud-'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await body(dir);
  } finally {
    process.chdir(cwd);
  }
}

/** describeWithService for several services: under CI every missing one fails, elsewhere the suite is skipped. */
export function describeWithServices<const K extends readonly ServiceName[]>(
  names: K,
  title: string,
  body: (services: () => { [I in K[number]]: ServiceInfo[I] }) => void,
): void {
  const getters: Partial<Record<ServiceName, () => unknown>> = {};
  const nest = (i: number): void => {
    if (i === names.length) {
      body(() => Object.fromEntries(names.map((n) => [n, getters[n]!()])) as { [I in K[number]]: ServiceInfo[I] });
      return;
    }
    const name = names[i]!;
    describeWithService(name, i === 0 ? title : `(needs ${name})`, (get) => {
      getters[name] = get;
      nest(i + 1);
    });
  };
  nest(0);
}
