/**
 * Which BigQuery errors are worth retrying, and how long to wait between attempts.
 * https://cloud.google.com/bigquery/docs/error-messages
 */

/** Per-error `reason`s BigQuery documents as transient. */
const retryableReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'backendError', 'internalError', 'timeout']);

/** Socket-level failures: the request may not have reached BigQuery; the insertId makes a resend safe enough. */
const retryableNetworkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

interface ErrorLike {
  readonly code?: unknown;
  readonly errors?: readonly { readonly reason?: string }[];
  readonly cause?: unknown;
}

/** True for HTTP 408/429/5xx, a transient `reason`, or a dropped connection. */
export function isRetryableError(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const e = err as ErrorLike;
  if (typeof e.code === 'number' && (e.code === 408 || e.code === 429 || (e.code >= 500 && e.code <= 599))) return true;
  if (typeof e.code === 'string' && retryableNetworkCodes.has(e.code)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => typeof x?.reason === 'string' && retryableReasons.has(x.reason))) return true;
  return e.cause !== undefined && e.cause !== err && isRetryableError(e.cause);
}

/** Row-level insertAll reasons that say "this row was fine, send it again". */
const retryableRowReasons = new Set(['stopped', 'backendError', 'internalError', 'timeout']);

/**
 * A row insertAll reported with only these reasons was not refused for its content: `stopped` means
 * another row of the request was invalid (without skipInvalidRows nothing was inserted), the rest
 * are transient.
 */
export function isRetryableRowError(reasons: readonly (string | undefined)[]): boolean {
  return reasons.length > 0 && reasons.every((r) => r !== undefined && retryableRowReasons.has(r));
}

export interface BackoffPolicy {
  /** attempts in all, the first included */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
}

export const defaultBackoff: BackoffPolicy = { maxAttempts: 8, initialDelayMs: 250, maxDelayMs: 32_000, multiplier: 2 };

/**
 * Delay before retry number `retry` (1 = first retry): exponential, capped, with "full jitter"
 * (uniform in [delay/2, delay]) so many workers hit by one outage do not retry in lockstep.
 */
export function backoffDelay(policy: BackoffPolicy, retry: number, random: () => number = Math.random): number {
  const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (retry - 1));
  return Math.round(delay / 2 + (random() * delay) / 2);
}

export interface RetryHooks {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** called before each wait, for logs and metrics */
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or runs out of attempts. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: BackoffPolicy = defaultBackoff,
  hooks: RetryHooks = {},
  retryable: (err: unknown) => boolean = isRetryableError,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= policy.maxAttempts || !retryable(err)) throw err;
      const delayMs = backoffDelay(policy, n, hooks.random);
      hooks.onRetry?.({ attempt: n, delayMs, error: err });
      await (hooks.sleep ?? sleep)(delayMs);
    }
  }
}
