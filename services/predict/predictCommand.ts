import { InvalidArgumentError, type Command } from 'commander';
import type { FeatureSpec } from '../../shared/features/featureSpec.js';
import { DEFAULT_MODELS_DIR } from '../../shared/models/defaultModelsDir.js';
import type { ServedModel } from '../../shared/models/servedModel.js';
import type { LineSink } from './lineSink.js';
import type { PredictSummary } from './predictTracks.js';

interface PredictOptions {
  readonly input: string;
  readonly modelVersion?: string;
  readonly modelsDir: string;
  readonly batchSize: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

function withCommonOptions(cmd: Command, columns: string): Command {
  return cmd
    .requiredOption('-i, --input <file>', `CSV file with a header line naming ${columns} (extra columns are ignored)`)
    .option('--model-version <version>', 'model version folder to serve (default: the latest in the models folder)')
    .option('--models-dir <dir>', 'folder holding <model>/<version>/manifest.json', DEFAULT_MODELS_DIR)
    .option('--batch-size <n>', 'rows per predictOnBatch call', positiveInt, 1024);
}

/**
 * Load the model (refusing one trained on other features), run the pipeline, print a summary on
 * stderr. Exit 1 only when the input file or the model cannot be used at all; bad rows are reported
 * and skipped.
 */
async function run(
  modelName: string,
  opts: PredictOptions,
  retrain: string,
  pipeline: (deps: { model: ServedModel; write: LineSink; warn: (m: string) => void }) => Promise<PredictSummary>,
  spec: FeatureSpec,
  unit: string,
): Promise<void> {
  // Loaded here, not at the top: `driftline --help` should not start TensorFlow.js.
  const { ModelRegistry } = await import('../../shared/models/modelRegistry.js');
  const { CsvFileError } = await import('./csvRecords.js');
  const { streamSink } = await import('./lineSink.js');
  const warn = (m: string): void => {
    process.stderr.write(`${m}\n`);
  };
  let model: ServedModel;
  try {
    const registry = new ModelRegistry({ modelsDir: opts.modelsDir });
    model = await registry.load(modelName, spec, { retrain, ...(opts.modelVersion !== undefined ? { version: opts.modelVersion } : {}) });
  } catch (err) {
    warn(`driftline predict: ${(err as Error).message}`);
    process.exitCode = 1;
    return;
  }
  try {
    const summary = await pipeline({ model, write: streamSink(process.stdout), warn });
    warn(`driftline predict: ${summary.rows} rows read (${summary.skippedRows} skipped), ${summary.windows} ${unit} scored${summary.skippedWindows > 0 ? ` (${summary.skippedWindows} skipped)` : ''} with ${model.name} ${model.version}`);
  } catch (err) {
    if (!(err instanceof CsvFileError)) throw err;
    warn(`driftline predict: ${err.message}`);
    process.exitCode = 1;
  } finally {
    model.dispose();
  }
}

/** `driftline predict fishing-gear | cooling`. */
export function register(program: Command): void {
  const predict = program
    .command('predict')
    .description('score a CSV file with a trained model; one JSON line per window or row on stdout, problems on stderr');

  withCommonOptions(
    predict
      .command('fishing-gear')
      .summary('classify vessel tracks by fishing gear: one JSON line per vessel window')
      .description(
        'classify vessel tracks by fishing gear: each vessel\'s track (key: mmsi) is cut into the event-time windows the model was trained on; ' +
          'prints {"key","window_start","window_end","points","label","probabilities","model","model_version"} per window. ' +
          'timestamp: unix seconds or ISO 8601 with a zone; speed: knots; course: degrees; empty speed/course = not available',
      ),
    'mmsi,timestamp,lat,lon,speed,course',
  ).action(async (opts: PredictOptions) => {
    const { fishingFeatures, fishingFeatureSpec } = await import('../../shared/features/fishing/fishingFeatures.js');
    const { predictTracks } = await import('./predictTracks.js');
    await run('fishing-gear', opts, 'npm run train:fishing', (d) => predictTracks({ file: opts.input, features: fishingFeatures, batchSize: opts.batchSize, ...d }), fishingFeatureSpec, 'windows');
  });

  withCommonOptions(
    predict
      .command('cooling')
      .summary('predict a cooling plant\'s PUE: one JSON line per telemetry row')
      .description('predict a data-center cooling plant\'s PUE per telemetry row (Gao 2014 inputs); prints {"key","timestamp","pue","model","model_version"} per row'),
    'plant_id,timestamp and the 19 plant inputs listed in models/cooling-pue/README.md',
  ).action(async (opts: PredictOptions) => {
    const { coolingFeatureRows } = await import('../../shared/features/cooling/coolingFeatures.js');
    const { coolingFeatureSpec } = await import('../../shared/features/cooling/coolingFeatureSpec.js');
    const { predictPlants } = await import('./predictPlants.js');
    await run('cooling-pue', opts, 'npm run train:cooling', (d) => predictPlants({ file: opts.input, features: coolingFeatureRows, batchSize: opts.batchSize, ...d }), coolingFeatureSpec, 'rows');
  });
}
