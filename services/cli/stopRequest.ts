/** Why a long-running command stops: a signal's name, `--for 30`, `input idle for 5s`, ... */
export interface StopRequest {
  /** resolves with the first reason given (signal or `request`) */
  readonly requested: Promise<string>;
  readonly isRequested: boolean;
  /** ask for a stop without a signal; later calls and signals after it count as a second request */
  request(why: string): void;
  /** removes the signal handlers */
  dispose(): void;
}

/**
 * Listens for SIGINT/SIGTERM from the moment a command starts, not from the moment its service is
 * up: a signal that arrives while it still connects or loads models would otherwise take Node's
 * default action and kill it mid-start. The command finishes starting, then sees the request and
 * shuts down cleanly. A second signal exits at once with 130 (what was not acknowledged upstream is
 * redelivered to the next run).
 */
export function listenForStop(warn: (msg: string) => void): StopRequest {
  let isRequested = false;
  let resolve!: (why: string) => void;
  const requested = new Promise<string>((r) => (resolve = r));
  const request = (why: string) => {
    isRequested = true;
    resolve(why);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (isRequested) {
      warn('second signal: exiting without draining (unacknowledged messages will be redelivered)');
      process.exit(130);
    }
    request(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested,
    get isRequested() {
      return isRequested;
    },
    request,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
