/**
 * Opening a warehouse another process holds: DuckDB lets one process open a file for writing.
 * `driftline query` catches it and asks that process instead (see queryClient.ts).
 */
export class WarehouseLockedError extends Error {
  override readonly name = 'WarehouseLockedError';
  /** the process holding the file, and its program, as DuckDB's lock error names them */
  readonly holderPid: number | undefined;
  readonly holderProgram: string | undefined;

  constructor(readonly file: string, duckdbError: Error) {
    const held = /held in (.+?) \(PID (\d+)\)/.exec(duckdbError.message);
    const holderProgram = held?.[1];
    const holderPid = held ? Number(held[2]) : Number(/PID (\d+)/.exec(duckdbError.message)?.[1] ?? NaN);
    super(`warehouse ${file} is open for writing in another process${describeHolder(holderPid, holderProgram)}: DuckDB allows ` +
      'one process per file. Stop that process first; to read the warehouse while it runs, use driftline query, ' +
      'which asks a running driftline run / driftline worker for it', { cause: duckdbError });
    this.holderPid = Number.isNaN(holderPid) ? undefined : holderPid;
    this.holderProgram = holderProgram;
  }

  /** ` (PID 123) running /usr/bin/node`, or what of it DuckDB said */
  get holder(): string {
    return describeHolder(this.holderPid ?? NaN, this.holderProgram);
  }
}

function describeHolder(pid: number, program: string | undefined): string {
  return `${Number.isNaN(pid) ? '' : ` (PID ${pid})`}${program ? ` running ${program}` : ''}`;
}
