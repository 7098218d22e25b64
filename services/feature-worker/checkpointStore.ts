import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PartitionCheckpoint, ProcessorSnapshot } from './streamProcessor.js';

/**
 * Durable worker checkpoints: the windowing state of each (stream, bus partition), saved after the
 * rows it emitted have landed and before the bus offsets are committed. After a crash or a
 * rebalance the owner of a partition restores its last checkpoint and replays the bus from the
 * committed offset; records the checkpoint already covers are skipped, so windows that closed are
 * not rebuilt from a partial replay.
 *
 * Per partition, because a consumer group hands partitions between workers: every worker of a group
 * must use the same store (one file on one machine; a shared volume otherwise), or a partition that
 * moves starts from the bus alone (see StreamProcessor.verify).
 * SQLite with synchronous=FULL: a checkpoint is rare (seconds apart) and must survive power loss.
 */
export class CheckpointStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string, string, number], { state: string }>;
  private readonly putStmt: Database.Statement<[string, string, number, string, number]>;
  private readonly legacyStmt: Database.Statement<[string, string], { state: string }> | undefined;

  constructor(path: string) {
    this.file = resolve(path);
    mkdirSync(dirname(this.file), { recursive: true });
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS partition_checkpoints (
      grp TEXT NOT NULL, stream TEXT NOT NULL, partition INTEGER NOT NULL, state TEXT NOT NULL, saved_at INTEGER NOT NULL,
      PRIMARY KEY (grp, stream, partition))`);
    this.getStmt = this.db.prepare('SELECT state FROM partition_checkpoints WHERE grp = ? AND stream = ? AND partition = ?');
    this.putStmt = this.db.prepare(
      'INSERT INTO partition_checkpoints (grp, stream, partition, state, saved_at) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT (grp, stream, partition) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at');
    // Whole-stream checkpoints written before per-partition ones: read once so an upgrade keeps its windows.
    const legacy = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'").get();
    this.legacyStmt = legacy ? this.db.prepare('SELECT state FROM checkpoints WHERE grp = ? AND stream = ?') : undefined;
  }

  /** The saved checkpoints of those partitions that have one. */
  load(group: string, stream: string, partitions: readonly number[]): PartitionCheckpoint[] {
    const out: PartitionCheckpoint[] = [];
    for (const p of partitions) {
      const row = this.getStmt.get(group, stream, p);
      if (row) out.push(JSON.parse(row.state) as PartitionCheckpoint);
    }
    return out;
  }

  /** A whole-stream checkpoint of the old format, when no partition of the stream has a new one. */
  loadLegacy(group: string, stream: string): ProcessorSnapshot | undefined {
    if (!this.legacyStmt) return undefined;
    const newer = this.db.prepare('SELECT 1 FROM partition_checkpoints WHERE grp = ? AND stream = ? LIMIT 1').get(group, stream);
    if (newer) return undefined;
    const row = this.legacyStmt.get(group, stream);
    return row ? (JSON.parse(row.state) as ProcessorSnapshot) : undefined;
  }

  /** Saves the checkpoints of several partitions atomically. */
  save(group: string, stream: string, parts: readonly PartitionCheckpoint[], now = Date.now()): void {
    this.db.transaction(() => {
      for (const p of parts) this.putStmt.run(group, stream, p.partition, JSON.stringify(p), now);
    })();
  }

  close(): void {
    this.db.close();
  }
}
