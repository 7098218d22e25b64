import { parentPort, workerData } from 'node:worker_threads';
import { startThreadProfiler } from './threadProfiler.js';
import type { FromServiceThread, ToServiceThread } from './threadProtocol.js';

export interface ThreadService {
  /** what the starting thread receives as `started` */
  readonly started: unknown;
  /** answers to `request(name, args)` */
  readonly handlers: Readonly<Record<string, (args: unknown) => unknown>>;
  /** stops the service and releases what it holds; the thread exits after it */
  stop(args: unknown): Promise<void>;
}

const port = parentPort;
const post = (m: FromServiceThread): void => port!.postMessage(m);

/** What the starting thread passed as ServiceThreadOptions.data. */
export function threadData<T>(): T {
  return (workerData as { data: T }).data;
}

/** Sends an event to the thread that started this one (ServiceThreadOptions.onEvent). */
export function emitEvent(name: string, value: unknown): void {
  post({ type: 'event', name, value });
}

/**
 * The thread side of startServiceThread: starts the service `name`, reports `started` (or `failed`
 * with the start-up error's message, then exits), answers requests and stops on request.
 */
export async function serveThread(name: string, start: () => Promise<ThreadService>): Promise<void> {
  if (!port) throw new Error('serveThread must run in a worker thread (see startServiceThread)');
  const stopProfiler = await startThreadProfiler(name);
  let service: ThreadService;
  try {
    service = await start();
  } catch (err) {
    post({ type: 'failed', message: (err as Error).message });
    port.close();
    return;
  }
  let stopping = false;
  port.on('message', (m: ToServiceThread) => {
    if (m.type === 'request') {
      const handler = service.handlers[m.name];
      Promise.resolve()
        .then(() => {
          if (!handler) throw new Error(`no request "${m.name}" (have: ${Object.keys(service.handlers).join(', ')})`);
          return handler(m.args);
        })
        .then(
          (value) => post({ type: 'reply', id: m.id, value }),
          (err: Error) => post({ type: 'replyError', id: m.id, message: err.message }),
        );
      return;
    }
    if (stopping) return;
    stopping = true;
    void service.stop(m.args).then(async () => {
      await stopProfiler?.();
      post({ type: 'stopped' });
      port.close();
    });
  });
  post({ type: 'started', value: service.started });
}
