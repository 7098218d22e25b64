import type Database from 'better-sqlite3';
import type { LogStore } from './logStore.js';
import type { OffsetStore } from './offsetStore.js';

export interface CompactionResult {
  readonly deleted: number;
  readonly partitions: number;
}

/**
 * Retention by consumption: records every consumer group subscribed to their topic has committed
 * past are deleted (Kafka keeps them for a time instead; here disk is the scarce thing and nobody
 * else reads the log). A topic no group has subscribed to keeps everything, so data produced before
 * the first worker starts is never lost. Each run deletes at most `maxPerPartition` records per
 * partition, so one run never holds the write lock for long; later runs catch up.
 */
export function compactLog(db: Database.Database, log: LogStore, offsets: OffsetStore, maxPerPartition = 100_000): CompactionResult {
  let deleted = 0;
  let partitions = 0;
  db.transaction(() => {
    for (const { pid, safe } of offsets.safeToDelete()) {
      if (safe <= 0) continue;
      const start = log.startOffset(pid);
      if (start >= safe) continue;
      const n = log.deleteBelow(pid, Math.min(safe, start + maxPerPartition));
      if (n > 0) {
        deleted += n;
        partitions++;
      }
    }
  }).immediate();
  return { deleted, partitions };
}
