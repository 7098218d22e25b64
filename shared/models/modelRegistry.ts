import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { FeatureSpec } from '../features/featureSpec.js';
import type { ModelRole } from './batchPrediction.js';
import { selectBackend } from './backend.js';
import { assertFeatureCompatible } from './featureCompatibility.js';
import { MANIFEST_FILE, readManifest } from './manifestFile.js';
import { loadLayersModel } from './modelFiles.js';
import { runtimeLogger } from './runtimeLogger.js';
import { ServedModel } from './servedModel.js';

export interface ModelRegistryOptions {
  /** folder holding `<name>/<version>/{manifest.json,model.json,weights.bin}` */
  readonly modelsDir: string;
  readonly logger?: Logger;
}

export interface LoadModelOptions {
  /** version folder name; default: the latest (natural sort, so v10 > v9 and 1.10 > 1.9) */
  readonly version?: string;
  readonly role?: ModelRole;
  /** the command that retrains this model, quoted in the feature-hash error; default `npm run train:<name>` */
  readonly retrain?: string;
}

/** Folder names only: a version from the command line must not walk out of the models folder. */
const SAFE_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._-]+$/;

const versionOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Trained models on disk, `models/<name>/<version>/`, each described by its manifest. Loading checks
 * the manifest against the code's feature spec, so only a model trained on today's features serves.
 */
export class ModelRegistry {
  readonly modelsDir: string;
  private readonly logger: Logger;

  constructor(options: ModelRegistryOptions) {
    this.modelsDir = resolve(options.modelsDir);
    this.logger = options.logger ?? runtimeLogger();
  }

  private modelDir(name: string): string {
    if (!SAFE_SEGMENT.test(name)) throw new Error(`model name ${JSON.stringify(name)} is not a folder name (letters, digits, . _ -)`);
    return join(this.modelsDir, name);
  }

  /** Version folders of `name` that hold a manifest, oldest first. */
  async versions(name: string): Promise<string[]> {
    const dir = this.modelDir(name);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const found: string[] = [];
    for (const e of entries) {
      if (e.isDirectory() && SAFE_SEGMENT.test(e.name) && (await isFile(join(dir, e.name, MANIFEST_FILE)))) found.push(e.name);
    }
    return found.sort(versionOrder.compare);
  }

  /** `retrain` is quoted in the error when there is no version at all */
  async latestVersion(name: string, retrain = `npm run train:${name}`): Promise<string> {
    const all = await this.versions(name);
    const latest = all[all.length - 1];
    if (latest === undefined) {
      throw new Error(`no trained ${name} model in ${this.modelDir(name)}: expected <version>/${MANIFEST_FILE} beside model.json (train it with \`${retrain}\`, or point --models-dir at a folder that has it)`);
    }
    return latest;
  }

  /**
   * Load `name` at `options.version` (default latest), refusing it unless its manifest is valid,
   * names this model and version, and was trained on `spec`.
   */
  async load(name: string, spec: FeatureSpec, options: LoadModelOptions = {}): Promise<ServedModel> {
    const selection = await selectBackend({ logger: this.logger });
    const retrain = options.retrain ?? `npm run train:${name}`;
    const version = options.version ?? (await this.latestVersion(name, retrain));
    if (!SAFE_SEGMENT.test(version)) throw new Error(`model version ${JSON.stringify(version)} is not a folder name (letters, digits, . _ -)`);
    const dir = join(this.modelDir(name), version);
    if (!(await isFile(join(dir, MANIFEST_FILE)))) {
      const known = await this.versions(name);
      throw new Error(`no ${name} model version ${version}: ${join(dir, MANIFEST_FILE)} does not exist (versions present: ${known.join(', ') || 'none'})`);
    }
    const manifest = await readManifest(dir);
    if (manifest.name !== name || manifest.version !== version) {
      throw new Error(`model ${dir}: manifest says name ${manifest.name} version ${manifest.version}; fields "name"/"version" must match the folder ${name}/${version}`);
    }
    assertFeatureCompatible(manifest, spec, dir, retrain);
    const model = await loadLayersModel(dir);
    let served: ServedModel;
    try {
      served = new ServedModel({ model, manifest, dir, ...(options.role !== undefined ? { role: options.role } : {}) });
    } catch (err) {
      model.dispose();
      throw err;
    }
    // One throw-away row so kernel set-up is not charged to the first real batch.
    served.predictBatch(new Float32Array(served.width), 1);
    this.logger.info({ model: name, model_version: version, role: served.role, backend: selection.backend, dir }, `loaded model ${name} ${version}`);
    return served;
  }
}
