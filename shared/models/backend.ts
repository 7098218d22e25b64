import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Logger } from 'pino';
import { runtimeLogger } from './runtimeLogger.js';

/**
 * Which TensorFlow.js engine runs inference. Fastest first: `tensorflow` is libtensorflow through
 * `@tensorflow/tfjs-node` (an optional peer dependency: its install downloads libtensorflow, which
 * these machines cannot); `wasm` is XNNPACK through `@tensorflow/tfjs-backend-wasm` (~25x the cpu
 * backend at batch 1024, see research notes §1); `cpu` is plain JavaScript, always available.
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

const ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendSelection {
  readonly backend: BackendName;
  /** wasm only: whether the SIMD build was loaded */
  readonly simd?: boolean;
  /** why faster engines were skipped, in order tried */
  readonly skipped: readonly { backend: BackendName; reason: string }[];
}

export interface SelectBackendOptions {
  /** force one engine, e.g. for a benchmark; default: env `DRIFTLINE_TF_BACKEND`, else fastest available */
  readonly prefer?: BackendName;
  readonly logger?: Logger;
}

const require = createRequire(import.meta.url);

async function tryTensorflow(): Promise<void> {
  // A variable specifier keeps TypeScript (and bundlers) from requiring the optional package.
  const specifier = '@tensorflow/tfjs-node';
  await import(specifier);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tf.setBackend("tensorflow") returned false');
}

async function tryWasm(): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the backend cannot find its .wasm binaries on its own: point it at the package's dist folder.
  const distDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(distDir + sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
  return (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
}

async function tryCpu(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") returned false');
}

function parsePreference(raw: string | undefined): BackendName | undefined {
  if (raw === undefined || raw === '') return undefined;
  if ((ORDER as readonly string[]).includes(raw)) return raw as BackendName;
  throw new Error(`DRIFTLINE_TF_BACKEND=${raw} is not a backend; use one of ${ORDER.join(', ')} or unset it`);
}

async function select(options: SelectBackendOptions): Promise<BackendSelection> {
  const logger = options.logger ?? runtimeLogger();
  const prefer = options.prefer ?? parsePreference(process.env.DRIFTLINE_TF_BACKEND);
  // A preferred engine goes first; the rest still follow so a missing one degrades, never fails.
  const order = prefer === undefined ? ORDER : [prefer, ...ORDER.filter((b) => b !== prefer)];
  const skipped: { backend: BackendName; reason: string }[] = [];
  for (const backend of order) {
    try {
      let simd: boolean | undefined;
      if (backend === 'tensorflow') await tryTensorflow();
      else if (backend === 'wasm') simd = await tryWasm();
      else await tryCpu();
      const selection: BackendSelection = { backend, ...(simd !== undefined ? { simd } : {}), skipped };
      logger.info({ backend, simd, skipped }, `tensorflow.js backend: ${backend}${simd === undefined ? '' : simd ? ' (SIMD)' : ' (no SIMD)'}`);
      return selection;
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0] ?? String(err);
      skipped.push({ backend, reason });
      logger.debug({ backend, reason }, 'tensorflow.js backend unavailable');
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

let current: Promise<BackendSelection> | undefined;
let currentPrefer: BackendName | undefined;

/**
 * Start the fastest available engine once per process and log which one runs. Later calls return
 * the same selection unless they ask for a different engine by name.
 */
export function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  if (current === undefined || (options.prefer !== undefined && options.prefer !== currentPrefer)) {
    currentPrefer = options.prefer;
    const attempt = select(options);
    // a failed start must not poison later calls
    current = attempt.catch((err: unknown) => {
      current = undefined;
      throw err;
    });
  }
  return current;
}
