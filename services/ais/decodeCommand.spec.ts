import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/driftline.js', import.meta.url));
const sample = fileURLToPath(new URL('../../tests/fixtures/ais/pyais/sample.ais', import.meta.url));
const nmeaSample = fileURLToPath(new URL('../../tests/fixtures/ais/pyais/nmea_data_sample.txt', import.meta.url));

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, [bin, 'ais', 'decode', ...args], { input, encoding: 'utf8', timeout: 60_000 });
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('driftline ais decode', () => {
  it('prints one JSON line per decoded message and one per rejected sentence, and exits 0', () => {
    const run = cli([sample]);
    expect(run.status).toBe(0);
    const decoded = jsonLines(run.stdout);
    expect(decoded).toHaveLength(9);
    expect(decoded.every((d) => d.class === 'AIS' && typeof d.mmsi === 'number' && Array.isArray(d.nmea))).toBe(true);
    const type5 = decoded.find((d) => d.type === 5)!;
    expect(type5).toMatchObject({ shipname: 'MARE ISLAND', rxuxtime: 1428621738, station_id: 'b003669710', channel: 'B' });
    const rejects = jsonLines(run.stderr);
    expect(rejects.map((r) => r.line)).toEqual([10, 12, 15, 16, 17, 21]);
    for (const r of rejects) {
      expect(Object.keys(r)).toEqual(['line', 'sentence', 'reason']);
      const lines = readFileSync(sample, 'utf8').split('\n');
      expect(r.sentence).toBe(lines[(r.line as number) - 1].trim());
    }
  });

  it('reads standard input with "-" and reports fragments still incomplete at the end', () => {
    const input = '!AIVDM,2,1,3,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1E\n!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C\n';
    const run = cli(['-'], input);
    expect(run.status).toBe(0);
    expect(jsonLines(run.stdout).map((d) => d.mmsi)).toEqual([366053209]);
    expect(jsonLines(run.stderr)).toEqual([
      { line: 1, sentence: input.split('\n')[0], reason: 'incomplete message at end of input: 1 of 2 fragments' },
    ]);
  });

  it('counts types it does not decode with --stats instead of rejecting them', () => {
    const run = cli([nmeaSample, '--stats']);
    expect(run.status).toBe(0);
    const stderr = jsonLines(run.stderr);
    const stats = stderr[stderr.length - 1].stats as { decoded: Record<string, number>; unsupported: Record<string, number>; rejected: number };
    expect(stats.unsupported).toEqual({ 15: 7, 20: 1 });
    expect(stats.rejected).toBe(120);
    expect(stderr).toHaveLength(121);
    expect(jsonLines(run.stdout)).toHaveLength(Object.values(stats.decoded).reduce((a, b) => a + b, 0));
  });

  it('exits 1 naming the file when it cannot be read', () => {
    const run = cli(['/nonexistent/feed.nmea']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot read \/nonexistent\/feed\.nmea \(ENOENT\)/);
    expect(run.stdout).toBe('');
  });
});
