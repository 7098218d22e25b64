import { pino, type Logger } from 'pino';

let logger: Logger | undefined;

/**
 * The model runtime's default logger. It writes to stderr because CLIs such as `driftline predict`
 * print their results as JSON lines on stdout, which must stay parseable.
 */
export function runtimeLogger(): Logger {
  logger ??= pino(
    { name: 'driftline.models', level: process.env.DRIFTLINE_LOG_LEVEL ?? 'info' },
    pino.destination({ fd: 2, sync: true }),
  );
  return logger;
}
