// Worker-thread entry of the MQTT ingest. Loader hooks of the thread that started it are not
// inherited, so tsx is registered here before loading the TypeScript (no build step, like bin/driftline.js).
import { register } from 'tsx/esm/api';

register();
await import('./ingestThreadMain.ts');
