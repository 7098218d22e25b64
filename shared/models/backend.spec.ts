import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../tests/fixtures/captureLogger.js';
import { selectBackend } from './backend.js';

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('selectBackend', () => {
  it('starts the fastest engine available and logs which one (wasm with SIMD here: tfjs-node cannot install)', async () => {
    const { logger, records } = captureLogger();
    const selection = await selectBackend({ logger });
    const expected = tfjsNodeInstalled() ? 'tensorflow' : 'wasm';
    expect(selection.backend).toBe(expected);
    expect(tf.getBackend()).toBe(expected);
    const info = records.find((r) => r.level === 30 && typeof r.msg === 'string' && r.msg.startsWith('tensorflow.js backend'));
    expect(info).toMatchObject({ backend: expected });
    if (expected === 'wasm') {
      expect(selection.simd).toBe(true);
      expect(info?.msg).toBe('tensorflow.js backend: wasm (SIMD)');
      // tfjs-node was tried first and its absence recorded, not swallowed
      expect(selection.skipped.map((s) => s.backend)).toEqual(['tensorflow']);
      expect(selection.skipped[0].reason).toMatch(/tfjs-node/);
    }
  });

  it('returns the same selection on later calls without restarting the engine', async () => {
    const first = await selectBackend();
    const { logger, records } = captureLogger();
    expect(await selectBackend({ logger })).toBe(first);
    expect(records).toHaveLength(0);
  });

  it('honours an explicit preference and falls back in order', async () => {
    const { logger, records } = captureLogger();
    const selection = await selectBackend({ prefer: 'cpu', logger });
    expect(selection.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(records.some((r) => r.backend === 'cpu' && r.level === 30)).toBe(true);
    const back = await selectBackend({ prefer: 'wasm', logger });
    expect(back.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown DRIFTLINE_TF_BACKEND with the allowed names', async () => {
    const saved = process.env.DRIFTLINE_TF_BACKEND;
    process.env.DRIFTLINE_TF_BACKEND = 'gpu';
    try {
      // a fresh module instance so the cached selection does not answer
      const specifier = './backend.js?env-test';
      const fresh = (await import(specifier)) as typeof import('./backend.js');
      await expect(fresh.selectBackend({ logger: captureLogger().logger })).rejects.toThrow(/DRIFTLINE_TF_BACKEND=gpu.*tensorflow, wasm, cpu/);
    } finally {
      if (saved === undefined) delete process.env.DRIFTLINE_TF_BACKEND;
      else process.env.DRIFTLINE_TF_BACKEND = saved;
    }
  });
});
