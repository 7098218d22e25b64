import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { stringify } from 'yaml';
import { beforeAll, expect, it } from 'vitest';
import { WORKER_GROUP } from '../../services/feature-worker/featureWorker.js';
import { startSimulator } from '../../services/simulator/simulatorRun.js';
import { driftlineConfigSchema, type DriftlineConfig } from '../../shared/config/configSchema.js';
import { initBigQueryWarehouse } from '../../shared/sinks/bigquery/warehouseInit.js';
import type { ServiceInfo } from '../services/serviceEnv.js';
import { bigquerySink, describeWithServices, kafkaBus, uniqueTag } from './cloudFixture.js';
import { exited, said, sleep, start, type Service } from './driftlineProcess.js';
import { expectedWindows, testConfig } from './pipelineFixture.js';
import { dedupPredictions, rawPredictionCounts, uninterruptedKafkaRun } from './warehouseComparison.js';

/**
 * Issue #6 acceptance on Kafka + BigQuery, with `driftline ingest` and `driftline worker` as separate
 * processes reading one YAML config each, compared with one uninterrupted in-process run:
 * - a worker killed with SIGKILL mid-run and replaced;
 * - two workers in one consumer group sharing the partitions of 4-partition topics.
 * Afterwards BigQuery must hold exactly the rows of the uninterrupted run.
 *
 * BigQuery's insertId de-duplication is best effort, and the emulator does none: rows a replaced or
 * rebalanced worker lands again (fired between its last checkpoint and the kill or the handover) are
 * stored twice in the raw table. The promise is one row per row_id as analysts read it, through the
 * `predictions_dedup` view `warehouse init` creates; the raw duplicate count is printed, not hidden.
 */
type Services = Pick<ServiceInfo, 'mqtt' | 'kafka' | 'bigquery'>;

/** Simulated time runs this many seconds of wall-clock time: long enough to act mid-stream. */
const PUBLISH_SECONDS = 12;

/**
 * Workers drain (fire every window, land, exit) once no record has reached them for this long. It
 * exceeds the publishing time: a worker's first records can wait seconds for the group's joins, a
 * worker whose keys fall silent mid-run (AIS gaps) must not drain early, and a drained member's
 * checkpoint closes its partitions' windows for whoever owns them next (later records would be late).
 */
const DRAIN_WHEN_IDLE = PUBLISH_SECONDS + 8;

interface ProcessRun {
  readonly dir: string;
  readonly config: DriftlineConfig;
  readonly dataset: string;
  /** YAML config path for a worker with the given Kafka client id (default the config's) */
  file(clientId?: string): string;
}

/** YAML configs for the processes of one run: its own Kafka topics, dataset and checkpoint file. */
function processRun(s: Services, tag: string, topicRoot: string, name: string): ProcessRun {
  const dataset = `pipeline_${name}_${tag}`;
  const run = testConfig(s.mqtt.url, `driftline-${name}-${tag}`, {
    idleTimeout: null,
    topicRoot,
    bus: kafkaBus(s.kafka, `${name}-${tag}`),
    sink: bigquerySink(s.bigquery, dataset),
  });
  const input = run.input as Record<string, unknown> & { sources: { mqtt: Record<string, unknown> }; bus: Record<string, unknown> };
  input.sources.mqtt.batch = { max_messages: 100 };
  input.log_level = 'info';
  // one checkpoint store for every worker of the group (worker.checkpoints)
  input.worker = { checkpoints: join(run.dir, 'checkpoints.sqlite') };
  const config = driftlineConfigSchema.parse(input);
  return {
    dir: run.dir, config, dataset,
    file(clientId?: string) {
      const path = join(run.dir, `${clientId ?? 'driftline'}.yaml`);
      writeFileSync(path, stringify({ ...input, bus: { ...input.bus, ...(clientId ? { client_id: clientId } : {}) } }));
      return path;
    },
  };
}

/** Publishes the dataset over PUBLISH_SECONDS; `during` runs meanwhile. */
async function publish(s: Services, config: DriftlineConfig, during: () => Promise<void>): Promise<void> {
  const sim = await startSimulator(config, { ...config.simulator, speed: (config.simulator.hours! * 3600) / PUBLISH_SECONDS }, s.mqtt.url, 5);
  try {
    await during();
    expect(await sim.done).toBe(expectedWindows().messages);
  } finally {
    await sim.stop();
  }
}

async function stopAll(services: Service[], log: string[], dir: string): Promise<void> {
  for (const p of services) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await Promise.all(services.map((p) => exited(p.child)));
  writeFileSync(join(dir, 'processes.log'), log.join(''));
}

/** Waits for a worker's `--drain-when-idle` exit; its code, or 'timeout'. */
const drained = (worker: Service) => Promise.race([exited(worker.child), sleep(120_000).then(() => 'timeout')]);

describeWithServices(['mqtt', 'kafka', 'bigquery'] as const, 'Kafka + BigQuery: worker processes killed, replaced and sharing a consumer group', (services) => {
  const tag = uniqueTag();
  const topicRoot = `pipeline-${tag}`;
  const reference = `pipeline_ref_${tag}`;
  let want: Record<string, unknown>[];

  beforeAll(async () => {
    const s = services();
    await uninterruptedKafkaRun(s, { tag, topicRoot, dataset: reference });
    want = await dedupPredictions(s.bigquery, reference);
    expect(want.length).toBeGreaterThan(100);
    expect(await rawPredictionCounts(s.bigquery, reference)).toEqual({ rows: want.length, duplicates: 0 });
  }, 180_000);

  async function expectReferenceRows(run: ProcessRun, what: string): Promise<void> {
    const s = services();
    const got = await dedupPredictions(s.bigquery, run.dataset);
    expect(got.map((r) => r.row_id), `see ${join(run.dir, 'processes.log')}`).toEqual(want.map((r) => r.row_id));
    expect(got).toEqual(want);
    const raw = await rawPredictionCounts(s.bigquery, run.dataset);
    expect(raw.rows - raw.duplicates).toBe(want.length);
    console.info(`${what}: ${want.length} prediction rows; the raw table holds ${raw.rows}, ` +
      `${raw.duplicates} of them repeating a row_id (the emulator does not de-duplicate insertIds)`);
  }

  it('a worker killed with SIGKILL mid-run and replaced: BigQuery holds the uninterrupted run\'s rows, column for column but processed_at', async () => {
    const s = services();
    const run = processRun(s, tag, topicRoot, 'crash');
    const file = run.file();
    const log: string[] = [];
    const init = start(['warehouse', 'init', '-c', file], log);
    expect(await exited(init.child), init.output).toBe(0);
    const workerArgs = ['worker', '-c', file, '--drain-when-idle', String(DRAIN_WHEN_IDLE)];
    const ingest = start(['ingest', '-c', file], log);
    let worker = start(workerArgs, log);
    const all = [ingest, worker];
    try {
      await said(ingest, /ingest subscribed/);
      await said(worker, /worker stats/);
      await publish(s, run.config, async () => {
        await said(worker, /"records":[1-9]/);
        // past the first checkpoint (every 2 s), so the replacement has one to restore
        await sleep(3000);
        worker.child.kill('SIGKILL');
        expect(await exited(worker.child)).toBeNull();
        worker = start(workerArgs, log);
        all.push(worker);
        await said(worker, /restored worker checkpoint/);
      });
      expect(await drained(worker), log.join('')).toBe(0);
    } finally {
      await stopAll(all, log, run.dir);
    }
    await expectReferenceRows(run, 'worker killed and replaced');
  }, 240_000);

  it('two workers in one consumer group share the partitions and land the rows of a single worker', async () => {
    const s = services();
    const run = processRun(s, tag, topicRoot, 'group');
    expect(run.config.bus.kind === 'kafka' && run.config.bus.partitions).toBeGreaterThanOrEqual(4);
    await initBigQueryWarehouse(new BigQuery({ projectId: s.bigquery.projectId, apiEndpoint: s.bigquery.apiEndpoint }), { datasetId: run.dataset });
    const log: string[] = [];
    const ingest = start(['ingest', '-c', run.file()], log);
    const clients = [`group-a-${tag}`, `group-b-${tag}`];
    const workers = clients.map((id) => start(['worker', '-c', run.file(id), '--drain-when-idle', String(DRAIN_WHEN_IDLE)], log));
    const all = [ingest, ...workers];
    const kafka = new Kafka({ clientId: `pipeline-test-admin-${tag}`, brokers: s.kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = ['vessels', 'plants'].map((t) => `pipeline-group-${tag}.${t}`);
    /** per worker (client id), the partitions of this run's stream topics it owns now */
    const owned = async () => {
      // the Kafka group of the bus group WORKER_GROUP under this run's prefix (KafkaBus.kafkaGroup)
      const { groups } = await admin.describeGroups([`pipeline-group-${tag}.${WORKER_GROUP}`]);
      const byClient = new Map<string, string[]>(clients.map((c) => [c, []]));
      for (const m of groups[0]?.members ?? []) {
        if (!byClient.has(m.clientId) || m.memberAssignment.length === 0) continue;
        const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {};
        for (const t of topics) for (const p of assignment[t] ?? []) byClient.get(m.clientId)!.push(`${t}[${p}]`);
      }
      return byClient;
    };
    let shared: Map<string, string[]> | undefined;
    try {
      await said(ingest, /ingest subscribed/);
      for (const w of workers) await said(w, /worker stats/);
      await publish(s, run.config, async () => {
        // both members own partitions of both streams, and between them every partition once
        const end = Date.now() + 60_000;
        for (;;) {
          const now = await owned();
          const parts = [...now.values()].flat();
          const bothStreams = [...now.values()].every((ps) => topics.every((t) => ps.some((p) => p.startsWith(`${t}[`))));
          if (bothStreams && parts.length === 8 && new Set(parts).size === 8) {
            shared = now;
            break;
          }
          if (Date.now() > end) throw new Error(`the two workers did not come to share the partitions: ${JSON.stringify([...now])}`);
          await sleep(500);
        }
      });
      const codes = await Promise.all(workers.map(drained));
      expect(codes, log.join('')).toEqual([0, 0]);
    } finally {
      await admin.disconnect();
      await stopAll(all, log, run.dir);
    }
    expect(shared).toBeDefined();
    // each worker's final stats (stdout, on exit) show it processed records of its own
    for (const w of workers) {
      const summary = JSON.parse(w.output.trim().split('\n').filter((l) => l.startsWith('{"streams"')).at(-1)!) as { streams: Record<string, { records: number }> };
      expect(Object.values(summary.streams).reduce((n, x) => n + x.records, 0)).toBeGreaterThan(0);
    }
    console.info(`two workers, partitions owned: ${JSON.stringify([...shared!])}`);
    await expectReferenceRows(run, 'two workers in one group');
  }, 240_000);
});
