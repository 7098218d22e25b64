/**
 * AIS decode throughput against a baseline measured in the same run: decoding single-sentence
 * class A position reports (type 1) from NMEA vs JSON.parse of gpsd's own JSON for the same
 * messages (gpsd 3.22 output from tests/fixtures/ais/gpsd/: the pyais sample traffic plus random reports). Rounds alternate
 * between the two so machine noise hits both alike; medians are reported.
 * Last stdout line: {"bench":"ais","sentences_per_s":N,"json_parse_per_s":N,"ratio":R}
 */
import { readFileSync } from 'node:fs';
import { AisDecoder, type AisReception } from '../shared/ais/aisDecoder.js';

interface OracleRow {
  nmea: string[];
  scaled: Record<string, unknown> | null;
}

const fixtures = new URL('../tests/fixtures/ais/', import.meta.url);
const sentences: string[] = [];
const gpsdJson: string[] = [];

// real traffic: the pyais sample files with gpsd's decoding of each line
const pyais = JSON.parse(readFileSync(new URL('gpsd/pyais-gpsd.json', fixtures), 'utf8')) as {
  files: Record<string, Record<string, { scaled: Record<string, unknown> }>>;
};
for (const [file, byLine] of Object.entries(pyais.files)) {
  const lines = readFileSync(new URL(`pyais/${file}`, fixtures), 'utf8').split('\n');
  for (const [line, row] of Object.entries(byLine)) {
    const text = lines[Number(line) - 1].trim();
    if (row.scaled.type === 1 && text.startsWith('!AIVDM,1,1,')) {
      sentences.push(text);
      gpsdJson.push(JSON.stringify(row.scaled));
    }
  }
}
// random type 1 reports with sentinel values
for (const l of readFileSync(new URL('gpsd/gpsd-oracle.jsonl', fixtures), 'utf8').trim().split('\n').slice(1)) {
  const row = JSON.parse(l) as OracleRow;
  if (row.scaled?.type === 1 && row.nmea.length === 1) {
    sentences.push(row.nmea[0]);
    gpsdJson.push(JSON.stringify(row.scaled));
  }
}

const ROUNDS = Number(process.env.AIS_BENCH_ROUNDS ?? 9);
const ROUND_MS = Number(process.env.AIS_BENCH_ROUND_MS ?? 400);

let decoded = 0;
let lastMmsi = 0;
const decoder = new AisDecoder({
  source: 'bench',
  onMessage: (r: AisReception) => {
    decoded++;
    lastMmsi = r.message.mmsi;
  },
  onReject: (r) => {
    throw new Error(`bench sentence rejected: ${r.sentence}: ${r.reason}`);
  },
  clock: () => 0,
});

function decodeAll(): void {
  for (let i = 0; i < sentences.length; i++) decoder.pushLine(sentences[i], { arrivedAt: 0 });
}

let parsedMmsi = 0;
function parseAll(): void {
  for (let i = 0; i < gpsdJson.length; i++) parsedMmsi ^= (JSON.parse(gpsdJson[i]) as { mmsi: number }).mmsi;
}

/** Runs `fn` (one pass over the corpus) repeatedly for about `ms`; returns items per second. */
function rate(fn: () => void, items: number, ms: number): number {
  let passes = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    fn();
    passes++;
    now = performance.now();
  }
  return (passes * items) / ((now - start) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// warm up both paths so the JIT has optimised them before timing
for (let i = 0; i < 200; i++) {
  decodeAll();
  parseAll();
}
if (decoded !== 200 * sentences.length) throw new Error('decoder did not decode every bench sentence');

const decodeRates: number[] = [];
const parseRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  decodeRates.push(rate(decodeAll, sentences.length, ROUND_MS));
  parseRates.push(rate(parseAll, gpsdJson.length, ROUND_MS));
  process.stderr.write(`round ${round + 1}/${ROUNDS}: decode ${Math.round(decodeRates[round])}/s, JSON.parse ${Math.round(parseRates[round])}/s\n`);
}
const sentencesPerS = Math.round(median(decodeRates));
const jsonParsePerS = Math.round(median(parseRates));
console.log(
  JSON.stringify({
    corpus: { sentences: sentences.length, type: 1, gpsd_json_mean_chars: Math.round(gpsdJson.reduce((a, j) => a + j.length, 0) / gpsdJson.length) },
    decode_rates: decodeRates.map(Math.round),
    json_parse_rates: parseRates.map(Math.round),
    checks: { lastMmsi, parsedMmsi },
  }),
);
console.log(JSON.stringify({ bench: 'ais', sentences_per_s: sentencesPerS, json_parse_per_s: jsonParsePerS, ratio: Number((sentencesPerS / jsonParsePerS).toFixed(3)) }));
