/**
 * One input record as the windowing engine sees it. `partition`/`offset` locate it on the bus
 * (offsets must increase within a partition; the engine uses them for the recovery contract and
 * to skip replayed records after a restore). `eventTime` is epoch milliseconds taken from the
 * message, never the arrival time.
 */
export interface WindowEvent<T> {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly eventTime: number;
  readonly value: T;
}
