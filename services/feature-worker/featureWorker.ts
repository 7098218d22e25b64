import type { Logger } from 'pino';
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
import { StreamProcessor } from './streamProcessor.js';
import { StreamRunner, type RunnerStats } from './streamRunner.js';

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
}

export interface WorkerStats {
  readonly streams: Readonly<Record<string, RunnerStats & { openWindows: number; watermark: number; panes: number }>>;
  readonly deadLettersLanded: number;
}

export interface FeatureWorker {
  stats(): WorkerStats;
  /** fires every open window, lands everything and checkpoints */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export const WORKER_GROUP = 'driftline-worker';

/**
 * The feature worker: per stream, bus → windows → features → models → warehouse rows, with
 * checkpoints that make `kill -9` at any moment safe (see StreamRunner for the order of steps).
 */
export async function startWorker(o: WorkerOptions): Promise<FeatureWorker> {
  const now = o.now ?? Date.now;
  const registry = new ModelRegistry({ modelsDir: o.modelsDir, logger: o.logger });
  const checkpoints = new CheckpointStore(o.checkpointPath ?? checkpointPath(o.config));
  const names = o.streams ?? Object.keys(o.config.streams);
  const hash = configHash(o.config);
  const runners: StreamRunner[] = [];
  const pairs: ModelPair[] = [];
  const consumers: BusConsumer[] = [];
  try {
    for (const name of names) {
      const stream = o.config.streams[name];
      if (!stream) throw new Error(`worker: no stream "${name}" in the config (streams: ${Object.keys(o.config.streams).join(', ')})`);
      const features = featureSet(stream.features);
      const models = await ModelPair.load(registry, stream.model.name, features.spec, {
        champion: stream.model.version,
        ...(stream.shadow_model ? { shadow: stream.shadow_model.version } : {}),
        logger: o.logger,
      });
      if (stream.shadow_model && stream.shadow_model.name !== stream.model.name) {
        throw new Error(`streams.${name}.shadow_model.name: must equal model.name "${stream.model.name}" (a shadow is another version of the same model)`);
      }
      pairs.push(models);
      const consumer = await o.bus.consumer({ group: WORKER_GROUP, topics: [name] });
      consumers.push(consumer);
      const commitMode = consumer.delivery ?? 'log';
      runners.push(new StreamRunner({
        group: WORKER_GROUP, consumer,
        createProcessor: (t) => new StreamProcessor({ name, stream, features, models, configHash: hash, now: t, commitMode }), sink: o.sink, checkpoints, logger: o.logger, now,
        checkpointIntervalMs: o.checkpointIntervalMs ?? o.config.worker.checkpoint_interval, maxRecords: 5000, pollTimeoutMs: 100,
        ...(o.onRowsLanded ? { onRowsLanded: o.onRowsLanded } : {}),
      }));
    }
  } catch (err) {
    for (const p of pairs) p.dispose();
    await Promise.allSettled(consumers.map((c) => c.close()));
    checkpoints.close();
    throw err;
  }
  let lander: DeadLetterLander | undefined;
  if (o.landDeadLetters ?? true) {
    const consumer = await o.bus.consumer({ group: `${WORKER_GROUP}.dead-letters`, topics: [DEAD_LETTER_TOPIC] });
    consumers.push(consumer);
    lander = new DeadLetterLander(consumer, o.sink, o.logger);
    lander.start();
  }
  for (const r of runners) r.start();

  return {
    stats() {
      const streams: Record<string, RunnerStats & { openWindows: number; watermark: number; panes: number }> = {};
      for (const r of runners) {
        const c = r.processor.stats();
        streams[r.processor.name] = { ...r.stats(), openWindows: c.openWindows, watermark: c.watermark, panes: c.panesEarly + c.panesOnTime + c.panesLate };
      }
      return { streams, deadLettersLanded: lander?.stats().landed ?? 0 };
    },
    async drain() {
      await Promise.all(runners.map((r) => r.drain()));
    },
    async stop() {
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
