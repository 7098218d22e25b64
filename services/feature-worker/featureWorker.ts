import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Bus, BusConsumer } from '../../shared/bus/bus.js';
import { configHash } from '../../shared/config/configHash.js';
import type { DriftlineConfig } from '../../shared/config/configSchema.js';
import { DEAD_LETTER_TOPIC } from '../../shared/deadLetters/deadLetter.js';
import { ModelPair } from '../../shared/models/modelPair.js';
import { ModelRegistry } from '../../shared/models/modelRegistry.js';
import type { Sink } from '../../shared/sinks/sink.js';
import { checkpointPath } from './checkpointPath.js';
import { CheckpointStore } from './checkpointStore.js';
import { DeadLetterLander } from './deadLetterLander.js';
import { featureSet } from './featureSets.js';
import { LoopHealth } from './loopHealth.js';
import { MeteredSink } from './meteredSink.js';
import { observeConsumer } from './observedConsumer.js';
import { StreamProcessor } from './streamProcessor.js';
import { StreamRunner, type RunnerStats } from './streamRunner.js';
import { createWorkerMetrics, type WorkerMetrics } from './workerMetrics.js';

export interface WorkerOptions {
  readonly config: DriftlineConfig;
  readonly bus: Bus;
  readonly sink: Sink;
  readonly modelsDir: string;
  /** SQLite file holding the windowing checkpoints (default: see checkpointPath(config)) */
  readonly checkpointPath?: string;
  readonly logger: Logger;
  /** streams to run; default all */
  readonly streams?: readonly string[];
  /** also land the ingest's dead letters (one process should) */
  readonly landDeadLetters?: boolean;
  readonly now?: () => number;
  /** default `worker.checkpoint_interval` */
  readonly checkpointIntervalMs?: number;
  /** see StreamRunnerOptions.onRowsLanded (benchmarks measure window close → row landed with it) */
  readonly onRowsLanded?: (stream: string, rows: number, firedAt: number, landedAt: number) => void;
  /**
   * Prometheus registry for the worker's metrics (workerMetrics.ts; none when absent). Everything is
   * registered on it alone, never on prom-client's global registry: give each worker its own.
   */
  readonly registry?: Registry;
}

export type StreamStats = RunnerStats & {
  readonly openWindows: number;
  /** event time, epoch ms */
  readonly watermark: number;
  /** panes the windowing state has fired (restored with checkpoints, so it spans restarts) */
  readonly panes: number;
  /** restored partition checkpoints found stale and rebuilt from the bus, this process */
  readonly staleCheckpoints: number;
};

export interface WorkerStats {
  readonly streams: Readonly<Record<string, StreamStats>>;
  readonly deadLettersLanded: number;
}

export interface FeatureWorker {
  stats(): WorkerStats;
  /**
   * For `/readyz`: started and not stopping, and in every loop (each stream, and the dead-letter
   * lander) the latest bus poll, commit and warehouse write succeeded. Loops retry failures forever,
   * so this turns false while one is failing and true again once it recovers.
   */
  isReady(): boolean;
  /** fires every open window, lands everything and checkpoints */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export const WORKER_GROUP = 'driftline-worker';

/** One stream's loop and what the worker keeps beside it. */
interface Loop {
  readonly name: string;
  readonly runner: StreamRunner;
  readonly health: LoopHealth;
  /** counts of processors a rebalance replaced */
  readonly retired: { staleCheckpoints: number };
}

/**
 * The feature worker: per stream, bus → windows → features → models → warehouse rows, with
 * checkpoints that make `kill -9` at any moment safe (see StreamRunner for the order of steps).
 */
export async function startWorker(o: WorkerOptions): Promise<FeatureWorker> {
  const now = o.now ?? Date.now;
  const startedAt = now();
  const registry = new ModelRegistry({ modelsDir: o.modelsDir, logger: o.logger });
  const checkpoints = new CheckpointStore(o.checkpointPath ?? checkpointPath(o.config));
  const names = o.streams ?? Object.keys(o.config.streams);
  const hash = configHash(o.config);
  const loops: Loop[] = [];
  const pairs: ModelPair[] = [];
  const consumers: BusConsumer[] = [];
  const landerHealth = new LoopHealth();
  let lander: DeadLetterLander | undefined;
  let state: 'starting' | 'running' | 'stopping' = 'starting';

  const stats = (): WorkerStats => {
    const streams: Record<string, StreamStats> = {};
    for (const { runner, retired } of loops) {
      const c = runner.processor.stats();
      streams[runner.processor.name] = {
        ...runner.stats(), openWindows: c.openWindows, watermark: c.watermark, panes: c.panesEarly + c.panesOnTime + c.panesLate,
        staleCheckpoints: retired.staleCheckpoints + c.staleCheckpoints,
      };
    }
    return { streams, deadLettersLanded: lander?.stats().landed ?? 0 };
  };
  const metrics: WorkerMetrics | undefined = o.registry && createWorkerMetrics(o.registry, {
    streams: () => stats().streams,
    loopsHealthy: () => ({
      ...Object.fromEntries(loops.map((l) => [l.name, l.health.healthy])),
      ...(lander ? { [DEAD_LETTER_TOPIC]: landerHealth.healthy } : {}),
    }),
    busLag: () => consumers.flatMap((c) => c.lag?.() ?? []),
    startedAt,
    now,
  });
  const onRowsLanded = metrics
    ? (stream: string, rows: number, firedAt: number, landedAt: number) => {
      metrics.rowsLanded(stream, rows, firedAt, landedAt);
      o.onRowsLanded?.(stream, rows, firedAt, landedAt);
    }
    : o.onRowsLanded;
  try {
    for (const name of names) {
      const stream = o.config.streams[name];
      if (!stream) throw new Error(`worker: no stream "${name}" in the config (streams: ${Object.keys(o.config.streams).join(', ')})`);
      const features = featureSet(stream.features);
      const models = await ModelPair.load(registry, stream.model.name, features.spec, {
        champion: stream.model.version,
        ...(stream.shadow_model ? { shadow: stream.shadow_model.version } : {}),
        logger: o.logger,
        ...(metrics ? { observer: metrics.modelObserver(name) } : {}),
      });
      if (stream.shadow_model && stream.shadow_model.name !== stream.model.name) {
        throw new Error(`streams.${name}.shadow_model.name: must equal model.name "${stream.model.name}" (a shadow is another version of the same model)`);
      }
      pairs.push(models);
      const consumer = await o.bus.consumer({ group: WORKER_GROUP, topics: [name] });
      consumers.push(consumer);
      const commitMode = consumer.delivery ?? 'log';
      const health = new LoopHealth();
      const retired = { staleCheckpoints: 0 };
      let current: StreamProcessor | undefined;
      const runner = new StreamRunner({
        group: WORKER_GROUP, consumer: observeConsumer(consumer, health),
        createProcessor: (t) => {
          // A rebalance replaces the processor between loop turns: what the old one counted is final.
          if (current) retired.staleCheckpoints += current.stats().staleCheckpoints;
          return (current = new StreamProcessor({ name, stream, features, models, configHash: hash, now: t, commitMode }));
        },
        sink: new MeteredSink(o.sink, name, metrics, health), checkpoints, logger: o.logger, now,
        checkpointIntervalMs: o.checkpointIntervalMs ?? o.config.worker.checkpoint_interval, maxRecords: 5000, pollTimeoutMs: 100,
        ...(onRowsLanded ? { onRowsLanded } : {}),
      });
      loops.push({ name, runner, health, retired });
    }
    if (o.landDeadLetters ?? true) {
      const consumer = await o.bus.consumer({ group: `${WORKER_GROUP}.dead-letters`, topics: [DEAD_LETTER_TOPIC] });
      consumers.push(consumer);
      lander = new DeadLetterLander(observeConsumer(consumer, landerHealth), new MeteredSink(o.sink, DEAD_LETTER_TOPIC, metrics, landerHealth), o.logger);
    }
  } catch (err) {
    for (const p of pairs) p.dispose();
    await Promise.allSettled(consumers.map((c) => c.close()));
    checkpoints.close();
    // the metrics read this worker's state: a failed start must not leave them on the registry
    metrics?.unregister();
    throw err;
  }
  lander?.start();
  for (const { runner } of loops) runner.start();
  state = 'running';
  const runners = loops.map((l) => l.runner);

  return {
    stats,
    isReady() {
      return state === 'running' && landerHealth.healthy && loops.every((l) => l.health.healthy);
    },
    async drain() {
      await Promise.all(runners.map((r) => r.drain()));
    },
    async stop() {
      state = 'stopping';
      await Promise.all(runners.map((r) => r.stop()));
      if (lander) {
        await lander.stop();
        await lander.catchUp();
      }
      await Promise.allSettled(consumers.map((c) => c.close()));
      for (const p of pairs) p.dispose();
      checkpoints.close();
    },
  };
}
