import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `FULL`: every commit fsyncs the WAL, so a record is on disk before `send` resolves and survives a
 * power cut or kernel panic. `NORMAL`: commits reach the OS but are fsynced only at checkpoints; they
 * survive a crash or `kill -9` of any process (the OS still holds them) but the last transactions can
 * vanish on power loss. The ingest acknowledges MQTT messages once `send` resolves and the broker then
 * forgets them, so the default is FULL: an acknowledged message survives power loss. Appends are group
 * committed, which makes the per-commit fsync cheap at throughput (see bench:bus-embedded).
 */
export type Synchronous = 'FULL' | 'NORMAL';

export interface LogDatabaseOptions {
  readonly synchronous?: Synchronous;
  /** how long a writer waits for another process's write transaction before failing with SQLITE_BUSY */
  readonly busyTimeoutMs?: number;
}

const schemaVersion = 1;

/**
 * The log's tables. `partitions.next_offset` is the log-end offset, kept apart from the records so
 * it survives retention deleting every record of a partition (offsets are never reused).
 * `record_offset`/`next_offset` avoid the SQL keyword OFFSET.
 */
const schema = `
CREATE TABLE IF NOT EXISTS topics (
  name TEXT PRIMARY KEY,
  partitions INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS partitions (
  id INTEGER PRIMARY KEY,
  topic TEXT NOT NULL REFERENCES topics(name),
  partition INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  UNIQUE (topic, partition)
) STRICT;
CREATE TABLE IF NOT EXISTS records (
  pid INTEGER NOT NULL,
  record_offset INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  PRIMARY KEY (pid, record_offset)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_offsets (
  grp TEXT NOT NULL,
  pid INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  committed_at INTEGER NOT NULL,
  PRIMARY KEY (grp, pid)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_members (
  grp TEXT NOT NULL,
  topic TEXT NOT NULL,
  generation INTEGER NOT NULL,
  owner_pid INTEGER,
  owner_id TEXT,
  joined_at INTEGER,
  PRIMARY KEY (grp, topic)
) STRICT;
`;

export function openLogDatabase(path: string, options: LogDatabaseOptions = {}): Database.Database {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (err) {
    throw new Error(`cannot open the bus log ${file}: ${(err as Error).message}; check bus.path and its directory permissions`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    // keep the WAL file from growing without bound after a burst (it is reset at each checkpoint)
    db.pragma('journal_size_limit = 67108864');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > schemaVersion) {
      throw new Error(`was written by a newer driftline (log format ${version}, this one reads ${schemaVersion}); upgrade driftline`);
    }
    if (version < schemaVersion) {
      db.transaction(() => {
        db.exec(schema);
        db.pragma(`user_version = ${schemaVersion}`);
      }).immediate();
    }
  } catch (err) {
    db.close();
    const message = (err as Error).message;
    throw new Error(`bus log ${file} ${message.startsWith('was written') ? message : `cannot be used: ${message}`}`);
  }
  return db;
}
