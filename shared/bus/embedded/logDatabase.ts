import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * How durable a resolved `send` (and a commit) is:
 * - `NORMAL` (default): in WAL mode a commit reaches the OS before `send` resolves but is fsynced
 *   only at checkpoints. It survives a crash or `kill -9` of any process (the kernel holds the
 *   pages), not an OS crash or power cut, which can lose the last commits (never tear one). That is
 *   what a single Kafka broker with its default flush settings gives, and the guarantee the ingest
 *   gives when it acknowledges MQTT after `send`: an acknowledged message survives any process crash.
 * - `FULL`: every commit fsyncs the WAL, so acknowledged messages survive power loss too. The price
 *   is one fsync per group commit (about 5 ms on this project's 2-core CI VM's disk, see
 *   bench:bus-embedded), during which the event loop is blocked, because better-sqlite3 is synchronous.
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
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
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
