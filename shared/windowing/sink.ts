import type { Pane } from './pane.js';
import type { SideOutputRecord } from './sideOutput.js';

/**
 * Where the engine delivers output, synchronously and in a deterministic order. A sink must not
 * call back into the engine.
 */
export interface WindowSink<T, R> {
  pane(pane: Pane<R>): void;
  sideOutput(record: SideOutputRecord<T>): void;
}

export type OutputRecord<T, R> = { readonly kind: 'pane'; readonly pane: Pane<R> } | { readonly kind: 'side'; readonly record: SideOutputRecord<T> };

/** Keeps everything in one ordered list; `take()` hands over what arrived since the last take. */
export class CollectingSink<T, R> implements WindowSink<T, R> {
  private records: OutputRecord<T, R>[] = [];

  pane(pane: Pane<R>): void {
    this.records.push({ kind: 'pane', pane });
  }

  sideOutput(record: SideOutputRecord<T>): void {
    this.records.push({ kind: 'side', record });
  }

  /** Everything emitted since the previous take, in emission order. */
  take(): OutputRecord<T, R>[] {
    const out = this.records;
    this.records = [];
    return out;
  }

  /** Everything not yet taken, without clearing. */
  peek(): readonly OutputRecord<T, R>[] {
    return this.records;
  }
}
