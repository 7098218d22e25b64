import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const bin = fileURLToPath(new URL('../../bin/driftline.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const run = (args: string[], cwd = repoRoot) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });

describe('driftline config', () => {
  it('check: a valid file prints a summary and exits 0', () => {
    const r = run(['config', 'check', '-c', 'driftline.example.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^driftline\.example\.yaml: OK/);
    expect(r.stdout).toMatch(/stream vessels: vessel_position on driftline\/vessels\/\+\/position, key mmsi, tumbling 24h/);
    expect(r.stdout).toMatch(/config hash: [0-9a-f]{64}/);
  });

  it('check: an invalid file prints every problem with its line and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftline-cli-'));
    writeFileSync(join(dir, 'bad.yaml'), 'metrics:\n  port: -5\nsimulator:\n  speed: fast\n');
    const r = run(['config', 'check', join(dir, 'bad.yaml')], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bad.yaml:2: metrics.port: too small');
    expect(r.stderr).toContain('bad.yaml:4: simulator.speed: expected number, got string "fast"');
    expect(r.stderr).toContain('2 problems found');
  });

  it('check: without a file in a directory without driftline.yaml, checks the built-in defaults', () => {
    const r = run(['config', 'check'], mkdtempSync(join(tmpdir(), 'driftline-cli-')));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\(built-in defaults\): OK/);
  });

  it('print-defaults: commented YAML that config check accepts', () => {
    const r = run(['config', 'print-defaults']);
    expect(r.status).toBe(0);
    expect(parse(r.stdout).streams.plants.window).toEqual({ kind: 'tumbling', size: '5m', offset: '0s' });
    const dir = mkdtempSync(join(tmpdir(), 'driftline-cli-'));
    writeFileSync(join(dir, 'driftline.yaml'), r.stdout);
    const check = run(['config', 'check'], dir);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/^driftline\.yaml: OK/);
  });

  it('reference --check README.md passes on the committed README', () => {
    expect(run(['config', 'reference', '--check', 'README.md']).status).toBe(0);
  });
});
