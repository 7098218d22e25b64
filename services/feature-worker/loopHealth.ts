/**
 * Whether one worker loop's I/O works, for `/readyz`. The loops never give up: a failed poll,
 * commit or warehouse write is logged and retried (nothing is committed past what landed). So
 * "failing" means the latest attempt of some step failed and no later attempt of it succeeded yet.
 */
export class LoopHealth {
  /** step → message of its latest failure, while it is failing */
  private readonly failing = new Map<string, string>();

  succeeded(step: string): void {
    if (this.failing.size > 0) this.failing.delete(step);
  }

  failed(step: string, err: unknown): void {
    this.failing.set(step, err instanceof Error ? err.message : String(err));
  }

  get healthy(): boolean {
    return this.failing.size === 0;
  }

  /** e.g. `["sink predictions: connection refused"]` */
  problems(): string[] {
    return [...this.failing].map(([step, message]) => `${step}: ${message}`);
  }
}
