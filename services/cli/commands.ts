import type { Command } from 'commander';
import { register as registerAis } from '../ais/decodeCommand.js';
import { register as registerConfig } from '../config/configCommand.js';
import { register as registerIngest } from '../ingest-mqtt/ingestCommand.js';
import { register as registerIngestAis } from '../ingest-ais/ingestAisCommand.js';
import { register as registerIngestPubsub } from '../ingest-pubsub/ingestPubsubCommand.js';
import { register as registerRun } from '../pipeline/runCommand.js';
import { register as registerQuery } from '../warehouse/queryCommand.js';
import { register as registerWarehouse } from '../warehouse/warehouseCommand.js';
import { register as registerSimulate } from '../simulator/simulateCommand.js';
import { register as registerWorker } from '../feature-worker/workerCommand.js';
import { register as registerPredict } from '../predict/predictCommand.js';

/**
 * Each subcommand lives in its own module beside the service it drives and exports a
 * `register(program)` function; this list is the one place they are wired in.
 */
type Registrar = (program: Command) => void;

const registrars: Registrar[] = [registerRun, registerIngest, registerIngestAis, registerIngestPubsub, registerWorker, registerSimulate, registerQuery, registerWarehouse, registerConfig, registerPredict, registerAis];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
