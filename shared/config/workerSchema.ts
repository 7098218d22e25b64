import { z } from 'zod';
import { positiveDurationSchema } from './durationSchema.js';

export const workerSchema = z.strictObject({
  checkpoints: z.string().min(1).optional()
    .describe('SQLite file holding the window state of each (stream, bus partition). Every worker of one consumer group must use the same file (one machine, or a shared volume): a partition that moves to a worker without its checkpoint is rebuilt from the bus alone, which can re-land windows that had closed with fewer events. Default: checkpoints.sqlite beside the embedded bus, else ./data/checkpoints.sqlite'),
  checkpoint_interval: positiveDurationSchema.prefault('2s')
    .describe('how often a worker checkpoints its windows and commits its bus offsets; shorter = less to replay after a crash or rebalance, more writes'),
});

export type WorkerConfig = z.output<typeof workerSchema>;
