import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Longest Unix socket path the kernel takes, in bytes: sun_path is 108 bytes on Linux and 104 on
 * macOS and the BSDs, each including the terminating NUL.
 */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/**
 * Where the process holding a DuckDB warehouse serves read queries on it: a Unix socket beside the
 * file (`<dir>/.<file name>.query.sock`), or, when that path is too long for a socket,
 * `<tmpdir>/driftline-query-<hash of the file>.sock`. The server and `driftline query` both call this,
 * so they meet without any port or setting. The directory goes through realpath (when it exists) so
 * two spellings of one file (a symlinked folder, `..`) find the same socket.
 */
export function querySocketPath(warehouseFile: string): string {
  const absolute = resolve(warehouseFile);
  let dir = dirname(absolute);
  try {
    dir = realpathSync(dir);
  } catch {
    // a folder that does not exist yet: nothing holds a file in it, and the server creates it first
  }
  const file = join(dir, basename(absolute));
  const beside = join(dir, `.${basename(file)}.query.sock`);
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH_BYTES) return beside;
  const hash = createHash('sha256').update(file).digest('hex').slice(0, 16);
  return join(tmpdir(), `driftline-query-${hash}.sock`);
}
