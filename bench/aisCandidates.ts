/**
 * How the npm AIS decoders compare with driftline's on the same test vectors (the use-or-write
 * decision in the README's AIS section). They are not dependencies: install them in a scratch
 * folder and point AIS_CANDIDATES_DIR at its node_modules:
 *
 *   mkdir -p /tmp/ais-eval && (cd /tmp/ais-eval && npm init -y && npm install ais-stream-decoder ggencoder)
 *   AIS_CANDIDATES_DIR=/tmp/ais-eval/node_modules npx tsx bench/aisCandidates.ts
 *
 * Correctness: every message of tests/fixtures/ais (gpsd's decodings of the pyais files and of 500
 * random messages) — does the library decode it, and are its core fields equal to gpsd's? ("not
 * available" given as null counts as equal.) Speed: single-sentence type 1-3 reports, alternating
 * rounds, medians. Last stdout line: one JSON object with everything.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AisDecoder } from '../shared/ais/aisDecoder.js';
import { expectedFromGpsd } from '../tests/ais/gpsdComparison.js';

const dir = process.env.AIS_CANDIDATES_DIR;
if (!dir) {
  process.stderr.write('set AIS_CANDIDATES_DIR to a node_modules folder holding ais-stream-decoder and ggencoder (see the comment at the top of bench/aisCandidates.ts)\n');
  process.exit(1);
}
const load = createRequire(join(dir, 'noop.js'));
const StreamDecoder = load('ais-stream-decoder').default;
const GG = load('ggencoder');
const version = (name: string) => (load(`${name}/package.json`) as { version: string }).version;

type Expected = Record<string, unknown> & { type: number; part?: string };
const cases: { nmea: string[]; expected: Expected }[] = [];
const fixtures = new URL('../tests/fixtures/ais/', import.meta.url);
for (const line of readFileSync(new URL('gpsd/gpsd-oracle.jsonl', fixtures), 'utf8').trim().split('\n').slice(1)) {
  const row = JSON.parse(line) as { nmea: string[]; scaled: Record<string, unknown>; unscaled: Record<string, unknown> };
  cases.push({ nmea: row.nmea, expected: expectedFromGpsd(row.scaled, row.unscaled) as Expected });
}
const pyais = JSON.parse(readFileSync(new URL('gpsd/pyais-gpsd.json', fixtures), 'utf8')) as {
  files: Record<string, Record<string, { scaled: Record<string, unknown>; unscaled: Record<string, unknown> }>>;
};
for (const [file, byLine] of Object.entries(pyais.files)) {
  const lines = readFileSync(new URL(`pyais/${file}`, fixtures), 'utf8').split('\n');
  const strip = (l: string) => l.replace(/^(\\[^\\]*\\)+/, '').trim();
  for (const [n, row] of Object.entries(byLine)) {
    const last = strip(lines[Number(n) - 1]);
    const m = /^!..VD.,(\d),(\d),/.exec(last);
    if (!m || (row.scaled.type === 24 && row.scaled.part === undefined)) continue;
    const nmea: string[] = [];
    for (let k = Number(m[2]) - 1; k >= 0; k--) nmea.push(strip(lines[Number(n) - 1 - k]));
    cases.push({ nmea, expected: expectedFromGpsd(row.scaled, row.unscaled) as Expected });
  }
}

function coreFields(e: Expected): string[] {
  if ([1, 2, 3, 18, 19].includes(e.type)) return ['mmsi', 'lat', 'lon', 'speed', 'course', 'heading'];
  if (e.type === 27) return ['mmsi', 'lat', 'lon', 'speed', 'course'];
  if (e.type === 4) return ['mmsi', 'lat', 'lon'];
  if (e.type === 5) return ['mmsi', 'shipname', 'callsign', 'imo', 'shiptype', 'to_bow', 'to_stern', 'draught', 'destination'];
  if (e.type === 21) return ['mmsi', 'name', 'lat', 'lon'];
  if (e.type === 24) return e.part === 'A' ? ['mmsi', 'shipname'] : ['mmsi', 'shiptype', 'callsign'];
  return ['mmsi'];
}
function notAvailable(e: Expected, field: string): number | undefined {
  if (e.type === 27) return ({ speed: 63, course: 511, lat: 91, lon: 181 } as Record<string, number>)[field];
  return ({ speed: 102.3, course: 360, heading: 511, lat: 91, lon: 181 } as Record<string, number>)[field];
}

interface Candidate {
  name: string;
  decode(nmea: string[]): Record<string, unknown> | null;
  fields: Record<string, string>;
}
const candidates: Candidate[] = [
  {
    name: 'driftline',
    fields: {},
    decode(nmea) {
      let out: Record<string, unknown> | null = null;
      const d = new AisDecoder({ onMessage: (r) => (out = r.message as unknown as Record<string, unknown>), onReject: () => undefined, clock: () => 0 });
      for (const l of nmea) d.pushLine(l);
      return out;
    },
  },
  {
    name: `ais-stream-decoder@${version('ais-stream-decoder')}`,
    fields: { speed: 'speedOverGround', course: 'courseOverGround', shipname: 'name', shiptype: 'typeAndCargo', to_bow: 'dimBow', to_stern: 'dimStern' },
    decode(nmea) {
      const d = new StreamDecoder();
      let out: Record<string, unknown> | null = null;
      let failed = false;
      d.push = (json: string) => ((out = JSON.parse(json)), true);
      for (const l of nmea) d._transform(Buffer.from(l), 'utf8', (e: unknown) => (failed ||= Boolean(e)));
      return failed ? null : out;
    },
  },
  {
    name: `ggencoder@${version('ggencoder')}`,
    fields: { speed: 'sog', course: 'cog', heading: 'hdg', shiptype: 'cargo', to_bow: 'dimA', to_stern: 'dimB', mmsi: 'immsi', name: 'shipname' },
    decode(nmea) {
      const session = {};
      let m: Record<string, unknown> | null = null;
      for (const l of nmea) m = new GG.AisDecode(l, session);
      return m && m.valid ? m : null;
    },
  },
];

const report: Record<string, unknown> = { cases: cases.length };
for (const c of candidates) {
  const perType: Record<string, { cases: number; decoded: number; correct: number }> = {};
  for (const { nmea, expected } of cases) {
    const key = expected.type === 24 ? `24${expected.part}` : String(expected.type);
    const t = (perType[key] ??= { cases: 0, decoded: 0, correct: 0 });
    t.cases++;
    let got: Record<string, unknown> | null;
    try {
      got = c.decode(nmea);
    } catch {
      got = null;
    }
    if (!got) continue;
    t.decoded++;
    const ok = coreFields(expected).every((f) => {
      let v = got![c.fields[f] ?? f];
      if (v === null || v === undefined) v = notAvailable(expected, f);
      const want = expected[f];
      return typeof v === 'number' && typeof want === 'number' ? Math.abs(v - want) < 1e-6 : v === want;
    });
    if (ok) t.correct++;
  }
  const sum = Object.values(perType).reduce((a, t) => ({ decoded: a.decoded + t.decoded, correct: a.correct + t.correct }), { decoded: 0, correct: 0 });
  report[c.name] = { ...sum, perType };
  process.stderr.write(`${c.name}: ${sum.correct}/${cases.length} messages with core fields equal to gpsd (decoded ${sum.decoded})\n`);
}

// speed: single-sentence class A position reports
const typeA = cases.filter((c) => c.expected.type <= 3 && c.nmea.length === 1).map((c) => c.nmea[0]);
let sink: unknown;
const driftline = new AisDecoder({ onMessage: (r) => (sink = r), onReject: () => undefined, clock: () => 0 });
const stream = new StreamDecoder();
stream.push = (json: string) => ((sink = json), true);
const runs: Record<string, () => void> = {
  driftline: () => {
    for (const l of typeA) driftline.pushLine(l);
  },
  'ais-stream-decoder (JSON string out)': () => {
    for (const l of typeA) stream._transform(Buffer.from(l), 'utf8', () => undefined);
  },
  ggencoder: () => {
    for (const l of typeA) sink = new GG.AisDecode(l, {});
  },
};
const rates: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (const run of Object.values(runs)) for (let i = 0; i < 20; i++) run();
for (let round = 0; round < 5; round++) {
  for (const [name, run] of Object.entries(runs)) {
    let passes = 0;
    const start = performance.now();
    while (performance.now() - start < 300) {
      run();
      passes++;
    }
    rates[name].push((passes * typeA.length) / ((performance.now() - start) / 1000));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
report.sentences_per_s = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(median(v))]));
void sink;
console.log(JSON.stringify(report));
