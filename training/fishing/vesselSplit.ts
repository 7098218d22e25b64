import { Random } from '../../shared/simulation/random.js';

export interface VesselSplit {
  readonly train: ReadonlySet<number>;
  readonly validation: ReadonlySet<number>;
  readonly test: ReadonlySet<number>;
}

/**
 * Split vessel ids into train / validation / test, stratified by label so every class is held out in
 * proportion. Every window of a vessel lands on one side: a held-out vessel is never seen in training,
 * so the test measures generalisation to new vessels, not memory of a vessel's habits.
 */
export function splitByVessel(
  vessels: readonly { readonly id: number; readonly label: string }[],
  fractions: { readonly validation: number; readonly test: number },
  seed: number | string,
): VesselSplit {
  if (fractions.validation < 0 || fractions.test < 0 || fractions.validation + fractions.test >= 1) {
    throw new RangeError(`splitByVessel: fractions validation=${fractions.validation} test=${fractions.test} must be ≥ 0 and sum below 1`);
  }
  const rng = new Random(`split/${String(seed)}`);
  const byLabel = new Map<string, number[]>();
  for (const v of vessels) {
    let ids = byLabel.get(v.label);
    if (ids === undefined) byLabel.set(v.label, (ids = []));
    ids.push(v.id);
  }
  const train = new Set<number>();
  const validation = new Set<number>();
  const test = new Set<number>();
  for (const label of [...byLabel.keys()].sort()) {
    const ids = [...byLabel.get(label)!].sort((a, b) => a - b);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const nTest = Math.round(ids.length * fractions.test);
    const nVal = Math.round(ids.length * fractions.validation);
    ids.forEach((id, k) => (k < nTest ? test : k < nTest + nVal ? validation : train).add(id));
  }
  return { train, validation, test };
}
