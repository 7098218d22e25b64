import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SOCKET_PATH_BYTES, querySocketPath } from './querySocketPath.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-qsock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('querySocketPath', () => {
  it('puts the socket beside the warehouse, hidden, named after it', () => {
    expect(querySocketPath(join(dir, 'w.duckdb'))).toBe(join(dir, '.w.duckdb.query.sock'));
  });

  it('finds the same socket from a relative path, a path with .., and a symlinked folder', () => {
    mkdirSync(join(dir, 'data'));
    symlinkSync(join(dir, 'data'), join(dir, 'link'));
    const want = querySocketPath(join(dir, 'data', 'w.duckdb'));
    expect(querySocketPath(join(dir, 'link', 'w.duckdb'))).toBe(want);
    expect(querySocketPath(join(dir, 'data', '..', 'data', 'w.duckdb'))).toBe(want);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(querySocketPath('data/w.duckdb')).toBe(want);
    } finally {
      process.chdir(cwd);
    }
  });

  it('falls back to the temp folder, by a hash of the file, when the path beside it is too long for a socket', () => {
    const deep = join(dir, 'a'.repeat(60), 'b'.repeat(60));
    const file = join(deep, 'w.duckdb');
    expect(Buffer.byteLength(join(deep, '.w.duckdb.query.sock'))).toBeGreaterThan(MAX_SOCKET_PATH_BYTES);
    const path = querySocketPath(file);
    expect(path).toMatch(new RegExp(`^${tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/driftline-query-[0-9a-f]{16}\\.sock$`));
    expect(Buffer.byteLength(path)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
    // deterministic, and one per file
    expect(querySocketPath(file)).toBe(path);
    expect(querySocketPath(join(deep, 'other.duckdb'))).not.toBe(path);
  });

  it('keeps the socket beside the file up to the limit exactly', () => {
    // a name that makes the socket path exactly MAX_SOCKET_PATH_BYTES long, then one byte longer
    const room = MAX_SOCKET_PATH_BYTES - Buffer.byteLength(join(dir, '..query.sock'));
    expect(querySocketPath(join(dir, 'x'.repeat(room)))).toBe(join(dir, `.${'x'.repeat(room)}.query.sock`));
    expect(querySocketPath(join(dir, 'x'.repeat(room + 1)))).toMatch(/driftline-query-[0-9a-f]{16}\.sock$/);
  });
});
