import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * A CPU profile of a service thread, when DRIFTLINE_CPU_PROF_DIR is set. Node's --cpu-prof profiles
 * only the main thread (and a worker refuses V8 options), so the threads of `driftline run` profile
 * themselves through the inspector: `<dir>/<service>-<pid>-<threadId>.cpuprofile`, written when the
 * service stops; open it in Chrome DevTools or VS Code.
 */
export async function startThreadProfiler(service: string): Promise<(() => Promise<void>) | undefined> {
  const dir = process.env.DRIFTLINE_CPU_PROF_DIR;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${service}-${process.pid}-${threadId}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
