import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Durable worker checkpoints: the windowing state of each stream, saved after the rows it emitted
 * have landed and before the bus offsets are committed. After a crash the worker restores the last
 * checkpoint and replays the bus from the committed offsets; records the checkpoint already covers
 * are skipped, so closed windows are not rebuilt from a partial replay.
 * SQLite with synchronous=FULL: a checkpoint is rare (seconds apart) and must survive power loss.
 */
export class CheckpointStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string, string], { state: string }>;
  private readonly putStmt: Database.Statement<[string, string, string, number]>;

  constructor(path: string) {
    this.file = resolve(path);
    mkdirSync(dirname(this.file), { recursive: true });
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (
      grp TEXT NOT NULL, stream TEXT NOT NULL, state TEXT NOT NULL, saved_at INTEGER NOT NULL,
      PRIMARY KEY (grp, stream))`);
    this.getStmt = this.db.prepare('SELECT state FROM checkpoints WHERE grp = ? AND stream = ?');
    this.putStmt = this.db.prepare(
      'INSERT INTO checkpoints (grp, stream, state, saved_at) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (grp, stream) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at');
  }

  load<S>(group: string, stream: string): S | undefined {
    const row = this.getStmt.get(group, stream);
    return row ? (JSON.parse(row.state) as S) : undefined;
  }

  save(group: string, stream: string, state: unknown, now = Date.now()): void {
    this.putStmt.run(group, stream, JSON.stringify(state), now);
  }

  close(): void {
    this.db.close();
  }
}
