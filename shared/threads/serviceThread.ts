import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { FromServiceThread, ToServiceThread } from './threadProtocol.js';

const ENTRY = new URL('./threadEntry.mjs', import.meta.url);

export interface ServiceThreadOptions {
  /** the thread's main module, which calls serveThread */
  readonly main: URL;
  /** what the main module reads with threadData() */
  readonly data: unknown;
  /** for messages, e.g. `ingest` → "the ingest thread failed" */
  readonly name: string;
  readonly logger: Logger;
  /** events the thread sends on its own (`emitEvent` there) */
  readonly onEvent?: (name: string, value: unknown) => void;
}

export interface ServiceThread<Started> {
  /** what the thread sent once its service had started */
  readonly started: Started;
  /** calls a handler of the thread's service and resolves with its answer (rejects once the thread is gone) */
  request<T>(name: string, args?: unknown): Promise<T>;
  readonly exited: boolean;
  /** asks the service to stop and resolves when the thread has exited */
  stop(args?: unknown): Promise<void>;
}

/**
 * Starts a service in a worker thread (its own event loop and heap: on a multi-core machine it runs
 * beside the rest of the pipeline instead of taking turns with it) and resolves once it has started,
 * or rejects with the service's own start-up error.
 */
export async function startServiceThread<Started>(o: ServiceThreadOptions): Promise<ServiceThread<Started>> {
  // execArgv []: the entry registers tsx itself (inheriting the parent's --import tsx would chain two
  // loaders), and a worker refuses the V8 options a parent may have been started with.
  const worker = new Worker(ENTRY, { workerData: { main: o.main.href, data: o.data }, execArgv: [] });
  let exited = false;
  let stopping: Promise<void> | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  const started = new Promise<Started>((resolve, reject) => {
    worker.on('message', (m: FromServiceThread) => {
      switch (m.type) {
        case 'started': resolve(m.value as Started); break;
        case 'failed': reject(new Error(m.message)); break;
        case 'reply': pending.get(m.id)?.resolve(m.value); pending.delete(m.id); break;
        case 'replyError': pending.get(m.id)?.reject(new Error(m.message)); pending.delete(m.id); break;
        case 'event': o.onEvent?.(m.name, m.value); break;
        case 'stopped': break;
      }
    });
    worker.on('error', (err) => {
      reject(err);
      if (!stopping) {
        // An uncaught error in the service would have ended the process on the main thread; a dead
        // thread must not leave a pipeline running that has lost one of its stages.
        o.logger.fatal({ err }, `the ${o.name} thread failed`);
        setImmediate(() => { throw err; });
      } else {
        o.logger.error({ err }, `the ${o.name} thread failed while stopping`);
      }
    });
    worker.on('exit', (code) => {
      exited = true;
      reject(new Error(`the ${o.name} thread exited (code ${code}) before it started`));
      for (const p of pending.values()) p.reject(new Error(`the ${o.name} thread has exited`));
      pending.clear();
    });
  });

  let value: Started;
  try {
    value = await started;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  const post = (m: ToServiceThread) => worker.postMessage(m);
  return {
    started: value,
    get exited() {
      return exited;
    },
    request<T>(name: string, args?: unknown): Promise<T> {
      if (exited) return Promise.reject(new Error(`the ${o.name} thread has exited`));
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        post({ type: 'request', id, name, ...(args === undefined ? {} : { args }) });
      });
    },
    stop(args?: unknown) {
      stopping ??= (async () => {
        if (exited) return;
        const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        post({ type: 'stop', ...(args === undefined ? {} : { args }) });
        await done;
      })();
      return stopping;
    },
  };
}
