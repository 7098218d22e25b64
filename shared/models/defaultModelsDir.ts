import { fileURLToPath } from 'node:url';

/** The repository's committed models, wherever driftline is started from. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));
