// Entry of every service thread (see serviceThread.ts). Loader hooks of the thread that started it are
// not inherited, so tsx is registered here before loading the service's TypeScript main module (no
// build step, like bin/driftline.js).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.main);
