import type { Logger } from 'pino';
import type { FeatureSpec } from '../features/featureSpec.js';
import type { BatchPrediction } from './batchPrediction.js';
import type { ModelRegistry } from './modelRegistry.js';
import { runtimeLogger } from './runtimeLogger.js';
import type { ServedModel } from './servedModel.js';

export interface PairPrediction {
  readonly champion: BatchPrediction;
  /** absent when no shadow is configured or the shadow failed on this batch */
  readonly shadow?: BatchPrediction;
  /** why the shadow produced nothing for this batch; the champion's results stand */
  readonly shadowError?: Error;
}

/**
 * Told about every batch a model of the pair scores (for latency metrics). Called synchronously on
 * the scoring path, so it must be cheap and must not throw.
 */
export interface ModelPairObserver {
  /** `model` scored `rows` rows in `seconds` (wall time of its predictBatch) */
  batch(model: ServedModel, rows: number, seconds: number): void;
  /** `model` threw on a batch (a champion's error then propagates; a shadow's is absorbed) */
  failed?(model: ServedModel, error: Error): void;
}

export interface LoadPairOptions {
  /** default: latest version */
  readonly champion?: string;
  /** no shadow when absent */
  readonly shadow?: string;
  readonly retrain?: string;
  readonly logger?: Logger;
  readonly observer?: ModelPairObserver;
}

/**
 * A champion model and an optional shadow scoring the same batch. Only the champion's output drives
 * decisions; the shadow's is recorded beside it, so a new version is compared on live traffic before
 * promotion. A failing shadow never costs the champion's results.
 */
export class ModelPair {
  private readonly logger: Logger;

  constructor(readonly champion: ServedModel, readonly shadow?: ServedModel, logger?: Logger, private readonly observer?: ModelPairObserver) {
    this.logger = logger ?? runtimeLogger();
    if (champion.role !== 'champion') throw new Error(`ModelPair: ${champion.name} ${champion.version} was loaded with role ${champion.role}, not champion`);
    if (shadow !== undefined) {
      if (shadow.role !== 'shadow') throw new Error(`ModelPair: ${shadow.name} ${shadow.version} was loaded with role ${shadow.role}, not shadow`);
      if (shadow.manifest.feature_hash !== champion.manifest.feature_hash) {
        throw new Error(`ModelPair: shadow ${shadow.dir} and champion ${champion.dir} take different features (feature_hash ${shadow.manifest.feature_hash} vs ${champion.manifest.feature_hash})`);
      }
      if (shadow.manifest.task !== champion.manifest.task) {
        throw new Error(`ModelPair: shadow ${shadow.dir} is ${shadow.manifest.task}, champion ${champion.dir} is ${champion.manifest.task}`);
      }
    }
  }

  static async load(registry: ModelRegistry, name: string, spec: FeatureSpec, options: LoadPairOptions = {}): Promise<ModelPair> {
    const retrain = options.retrain !== undefined ? { retrain: options.retrain } : {};
    const champion = await registry.load(name, spec, { role: 'champion', ...retrain, ...(options.champion !== undefined ? { version: options.champion } : {}) });
    if (options.shadow === undefined) return new ModelPair(champion, undefined, options.logger, options.observer);
    try {
      const shadow = await registry.load(name, spec, { role: 'shadow', version: options.shadow, ...retrain });
      return new ModelPair(champion, shadow, options.logger, options.observer);
    } catch (err) {
      champion.dispose();
      throw err;
    }
  }

  /** Both models on the same feature rows (natural units; each applies its own normalisation). */
  predictBatch(features: Float32Array, rows?: number): PairPrediction {
    const champion = this.score(this.champion, features, rows);
    if (this.shadow === undefined) return { champion };
    try {
      return { champion, shadow: this.score(this.shadow, features, rows) };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.logger.warn({ model: this.shadow.name, model_version: this.shadow.version, err: error.message }, 'shadow model failed on a batch; champion results kept');
      return { champion, shadowError: error };
    }
  }

  private score(model: ServedModel, features: Float32Array, rows: number | undefined): BatchPrediction {
    const observer = this.observer;
    if (observer === undefined) return model.predictBatch(features, rows);
    const start = performance.now();
    let batch: BatchPrediction;
    try {
      batch = model.predictBatch(features, rows);
    } catch (err) {
      observer.failed?.(model, err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    observer.batch(model, batch.rows, (performance.now() - start) / 1000);
    return batch;
  }

  dispose(): void {
    this.champion.dispose();
    this.shadow?.dispose();
  }
}
