import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predictionRowId, rowId, type PredictionIdentity } from './rowId.js';

const identity = fc.record({
  stream: fc.string(), key: fc.string(), window_start: fc.integer(), window_end: fc.integer(),
  pane_index: fc.nat(), model: fc.string(), model_version: fc.string(),
  model_role: fc.constantFrom('champion' as const, 'shadow' as const),
});

describe('row ids', () => {
  it('are 32 lowercase hex chars and deterministic', () => {
    fc.assert(fc.property(identity, (p) => {
      const id = predictionRowId(p);
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(predictionRowId({ ...p })).toBe(id);
    }));
  });

  it('change when any identifying field changes', () => {
    const fields = ['stream', 'key', 'window_start', 'window_end', 'pane_index', 'model', 'model_version', 'model_role'] as const;
    fc.assert(fc.property(identity, identity, fc.constantFrom(...fields), (a, b, field) => {
      fc.pre(a[field] !== b[field]);
      const changed = { ...a, [field]: b[field] } as PredictionIdentity;
      expect(predictionRowId(changed)).not.toBe(predictionRowId(a));
    }));
  });

  it('stay what they were: stored rows keep their ids across versions (a replay must rewrite the same id)', () => {
    expect(predictionRowId({
      stream: 'vessels', key: '412000001', window_start: 1704067200000, window_end: 1704067260000,
      pane_index: 0, model: 'fishing-gear', model_version: 'v1', model_role: 'champion',
    })).toBe('593fcef5acf1bdd3d748d166e0799c76');
  });

  it('keep part boundaries: moving a separator between parts changes the id', () => {
    expect(rowId(['a|b', 'c'])).not.toBe(rowId(['a', 'b|c']));
    expect(rowId(['1', 2])).not.toBe(rowId([1, '2']));
    expect(rowId(['ab', ''])).not.toBe(rowId(['a', 'b']));
  });

  it('are stable across releases (a changed formula would duplicate every replayed row)', () => {
    expect(predictionRowId({
      stream: 'vessels', key: '227006760', window_start: Date.UTC(2024, 4, 1, 10), window_end: Date.UTC(2024, 4, 1, 11),
      pane_index: 0, model: 'fishing-gear', model_version: '1', model_role: 'champion',
    })).toBe(rowId(['predictions', 'vessels', '227006760', 1714557600000, 1714561200000, 0, 'fishing-gear', '1', 'champion']));
  });
});
