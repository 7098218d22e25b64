import { Random } from '../../shared/simulation/random.js';

export type SplitPart = 'train' | 'validation' | 'test';

export interface DaySplitOptions {
  readonly seed: number | string;
  /** share of days held out for the final evaluation */
  readonly testFraction: number;
  /** share of days held out for choosing the epoch (early stopping), also never trained on */
  readonly validationFraction: number;
}

const DAY_MS = 86_400_000;

/** UTC calendar day of an event time: the unit of the split. */
export function utcDay(tMs: number): number {
  return Math.floor(tMs / DAY_MS);
}

/**
 * Assign whole UTC days to train / validation / test. Rows of one day, of every hall, land in the same
 * part, so no held-out day is ever partly seen in training (a row-level split would leak: consecutive
 * 5-minute samples are nearly identical). Days are shuffled with a seeded stream, so the split is
 * reproducible and the held-out days cover all seasons.
 */
export function splitDays(days: Iterable<number>, options: DaySplitOptions): Map<number, SplitPart> {
  const { testFraction, validationFraction } = options;
  if (!(testFraction > 0 && validationFraction >= 0 && testFraction + validationFraction < 1)) {
    throw new RangeError(`splitDays: need testFraction > 0, validationFraction >= 0 and their sum < 1; got ${testFraction} and ${validationFraction}`);
  }
  const unique = [...new Set(days)].sort((a, b) => a - b);
  const random = new Random(options.seed).fork('day-split');
  // Fisher–Yates with the seeded stream
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [unique[i], unique[j]] = [unique[j], unique[i]];
  }
  const nTest = Math.max(1, Math.round(unique.length * testFraction));
  const nValidation = Math.round(unique.length * validationFraction);
  const parts = new Map<number, SplitPart>();
  unique.forEach((day, i) => parts.set(day, i < nTest ? 'test' : i < nTest + nValidation ? 'validation' : 'train'));
  return parts;
}
