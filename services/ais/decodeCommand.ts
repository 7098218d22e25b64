import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { InvalidArgumentError, type Command } from 'commander';
import { AisDecoder } from '../../shared/ais/aisDecoder.js';
import { decodedLine, rejectLine } from './decodeOutput.js';

export interface DecodeOptions {
  readonly maxFragmentAgeMs: number;
  readonly stats: boolean;
}

/**
 * Decodes an NMEA stream: one JSON line per decoded message on `out`, one per rejected sentence on
 * `err`. Fragment age is counted in input lines' arrival, which for a file is "immediately": only
 * fragments left over at the end, superseded or out of order are rejected as incomplete.
 */
export async function decodeStream(input: Readable, out: Writable, err: Writable, options: DecodeOptions): Promise<AisDecoder> {
  let pendingOut = '';
  let pendingErr = '';
  const decoder = new AisDecoder({
    source: 'cli',
    maxFragmentAgeMs: options.maxFragmentAgeMs,
    onMessage: (r) => {
      pendingOut += decodedLine(r) + '\n';
    },
    onReject: (r) => {
      pendingErr += rejectLine(r) + '\n';
    },
  });
  const write = async () => {
    if (pendingErr) {
      const ok = err.write(pendingErr);
      pendingErr = '';
      if (!ok) await once(err, 'drain');
    }
    if (pendingOut) {
      const ok = out.write(pendingOut);
      pendingOut = '';
      if (!ok) await once(out, 'drain');
    }
  };
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    decoder.pushLine(line, { line: ++n });
    if (pendingOut.length + pendingErr.length > 64 * 1024) await write();
  }
  decoder.flush();
  await write();
  return decoder;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of milliseconds ≥ 1');
  return n;
}

export function register(program: Command): void {
  const ais = program.command('ais').description('AIS (NMEA 0183 AIVDM/AIVDO) tools');
  ais
    .command('decode')
    .description(
      'Decode AIVDM/AIVDO sentences (tag blocks and multi-sentence messages included) into gpsd-style AIS JSON: ' +
        'one JSON line per decoded message on stdout, one {"line","sentence","reason"} line per rejected sentence on stderr. ' +
        'Exits 0 whenever the input could be read, whatever it contained.',
    )
    .argument('[file]', 'file of NMEA lines; "-" or nothing reads standard input', '-')
    .option('--max-fragment-age <ms>', 'how long fragment 1 of a multi-sentence message waits for the rest, in milliseconds', positiveInt, 10_000)
    .option('--stats', 'after the rejects, print one {"stats":{...}} line on stderr: counts of lines, decoded messages per type, types only counted, rejects')
    .action(async (file: string, opts: { maxFragmentAge: number; stats?: boolean }) => {
      let input: Readable = process.stdin;
      if (file !== '-') {
        const stream = createReadStream(file);
        try {
          await once(stream, 'open');
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          process.stderr.write(`driftline ais decode: cannot read ${file} (${code ?? String(error)}): check the path, or pass "-" to read standard input\n`);
          process.exitCode = 1;
          return;
        }
        input = stream;
      }
      try {
        const decoder = await decodeStream(input, process.stdout, process.stderr, { maxFragmentAgeMs: opts.maxFragmentAge, stats: opts.stats ?? false });
        if (opts.stats) process.stderr.write(JSON.stringify({ stats: decoder.stats }) + '\n');
      } catch (error) {
        process.stderr.write(`driftline ais decode: reading ${file === '-' ? 'standard input' : file} failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    });
}
