import { z } from 'zod';

export const simulatorSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('`driftline run` starts the device simulator alongside the pipeline'),
  seed: z.number().int().default(1).describe('random seed: the same seed gives the same fleet and messages'),
  vessels: z.number().int().min(0).max(100_000).default(20).describe('simulated vessels publishing AIS positions'),
  plants: z.number().int().min(0).max(10_000).default(3).describe('simulated data-center cooling plants publishing telemetry'),
  speed: z.number().positive().max(1_000_000).default(60)
    .describe('simulated seconds per real second (1 = real time, 60 = one simulated minute per second)'),
  hours: z.number().positive().optional()
    .describe('simulated hours to publish before stopping (a finite, deterministic dataset); unset = endless'),
});

export type SimulatorConfig = z.output<typeof simulatorSchema>;
