import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/**
 * TensorFlow.js model files on local disk without `@tensorflow/tfjs-node` (which cannot install here):
 * the standard tfjs layers layout, `model.json` + one `weights.bin`, so the files also load in a browser
 * or with `tf.loadLayersModel('file://…')` under tfjs-node.
 */

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** An IOHandler that writes `<dir>/model.json` and `<dir>/weights.bin` (pass it to `model.save`). */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    if (artifacts.modelTopology === undefined || artifacts.weightSpecs === undefined) {
      throw new Error(`modelFiles: cannot save to ${dir}: artifacts lack modelTopology or weightSpecs (is this a tf.LayersModel?)`);
    }
    const weights = artifacts.weightData === undefined
      ? new ArrayBuffer(0)
      : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const modelJson: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs }],
      ...(artifacts.trainingConfig !== undefined ? { trainingConfig: artifacts.trainingConfig } : {}),
      ...(artifacts.userDefinedMetadata !== undefined ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    };
    await mkdir(dir, { recursive: true });
    // weights first: a model.json that exists always has its weights beside it
    await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
    await writeFile(join(dir, MODEL_JSON), `${JSON.stringify(modelJson)}\n`);
    return {
      modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts),
    };
  });
}

/** Read `<dir>/model.json` and the weight files it names into memory as tfjs ModelArtifacts. */
export async function readModelArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const jsonPath = join(dir, MODEL_JSON);
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
  } catch (err) {
    throw new Error(`modelFiles: cannot read ${jsonPath}: ${(err as Error).message} (train the model or check the version folder)`);
  }
  if (modelJson.modelTopology === undefined || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error(`modelFiles: ${jsonPath} lacks modelTopology or weightsManifest; it is not a tfjs layers model.json`);
  }
  const root = resolve(dir);
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const p of group.paths) {
        const full = resolve(root, p);
        if (full !== root && !full.startsWith(root + sep)) {
          throw new Error(`modelFiles: ${jsonPath} field weightsManifest.paths names ${p}, outside ${dir}; weight files must sit beside model.json`);
        }
        const bytes = await readFile(full);
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      }
    }
    return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
  });
}

/** An IOHandler that loads the files written by `fileSaveHandler` (pass it to `tf.loadLayersModel`). */
export async function fileLoadHandler(dir: string): Promise<tf.io.IOHandler> {
  return tf.io.fromMemory(await readModelArtifacts(dir));
}

/** Convenience: save a layers model to `dir`. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileSaveHandler(dir));
}

/** Convenience: load a layers model saved by `saveLayersModel`. */
export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(await fileLoadHandler(dir));
}
