import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';

/** One data row: its 1-based line in the file and its cells by lower-cased header name. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: Readonly<Record<string, string | undefined>>;
}

/** A row the reader or a row parser could not use; printed, then the run goes on. */
export interface RowProblem {
  readonly file: string;
  readonly line: number;
  /** the column at fault, when one is */
  readonly field?: string;
  readonly message: string;
}

/** The file cannot be used at all: unreadable, empty, or its header lacks required columns. */
export class CsvFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
    this.name = 'CsvFileError';
  }
}

export function formatProblem(p: RowProblem): string {
  return `${p.file}:${p.line}: ${p.field !== undefined ? `field "${p.field}": ` : ''}${p.message}; row skipped`;
}

export interface ReadCsvOptions {
  /** columns the header must name (case-insensitive); other columns are ignored */
  readonly required: readonly string[];
  readonly onProblem: (problem: RowProblem) => void;
}

function newlines(values: readonly string[]): number {
  let n = 0;
  for (const v of values) for (let i = v.indexOf('\n'); i >= 0; i = v.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Stream the data rows of a CSV file with a header line. Malformed rows (bad quoting, ...) are
 * reported through `onProblem` and skipped; only an unreadable file or an unusable header throws.
 */
export async function* readCsvRecords(file: string, options: ReadCsvOptions): AsyncGenerator<CsvRecord> {
  const parser = parse({
    info: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // a stray quote inside a field stays in the value (and fails that field's check) instead of
    // swallowing the rest of the file as one quoted field
    relax_quotes: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      const line = typeof err?.lines === 'number' ? err.lines : 0;
      options.onProblem({ file, line, message: `unreadable CSV row (${err?.message ?? 'parse error'})` });
      return undefined;
    },
  });
  const source = createReadStream(file);
  // pipe() does not forward a source error (ENOENT, EACCES): hand it to the parser so iteration throws
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let header: string[] | undefined;
  try {
    for await (const chunk of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = chunk;
      // info.lines is where the record ends; a quoted field may span lines, so step back to its start
      const line = info.lines - newlines(record);
      if (header === undefined) {
        header = record.map((h) => h.trim().toLowerCase());
        const missing = options.required.filter((c) => !header!.includes(c));
        if (missing.length > 0) {
          throw new CsvFileError(file, `${file}:${line}: header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; expected a header line naming ${options.required.join(',')} (extra columns are ignored)`);
        }
        continue;
      }
      // no prototype: a column named __proto__ or constructor is just a column
      const cells: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
      for (let i = 0; i < header.length; i++) if (!(header[i] in cells)) cells[header[i]] = record[i];
      yield { line, cells };
    }
  } catch (err) {
    if (err instanceof CsvFileError) throw err;
    throw new CsvFileError(file, `cannot read ${file}: ${(err as Error).message}`);
  } finally {
    source.destroy();
  }
  if (header === undefined) throw new CsvFileError(file, `${file} is empty: expected a header line naming ${options.required.join(',')}`);
}
