import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DurationError, formatDuration, parseDuration } from '../time/duration.js';

/**
 * The windowing part of a stream's config, in the YAML form operators write (snake_case keys,
 * durations as "30s"/"5m"/"24h"/"1d" or integer ms). `windowingConfigSchema` parses it into
 * `WindowingConfig` (camelCase, integer ms) which is what the engine takes. Unknown keys are
 * errors so that a typo such as `allowed_latness` cannot silently fall back to a default.
 */

function durationField(options: { positive: boolean }) {
  return z.unknown().transform((value, ctx) => {
    let ms: number;
    try {
      ms = parseDuration(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof DurationError ? err.message : String(err) });
      return z.NEVER;
    }
    if (options.positive && ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `must be greater than 0, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return ms;
  });
}

const duration = () => durationField({ positive: false });
const positiveDuration = () => durationField({ positive: true });

const tumbling = z.strictObject({
  kind: z.literal('tumbling'),
  size: positiveDuration(),
  /** shifts window boundaries, e.g. "1h" windows aligned to :30 with offset "30m" */
  offset: duration().default(0),
});

const sliding = z.strictObject({
  kind: z.literal('sliding'),
  size: positiveDuration(),
  period: positiveDuration(),
  offset: duration().default(0),
});

const session = z.strictObject({
  kind: z.literal('session'),
  gap: positiveDuration(),
});

const WINDOW_KINDS = ['tumbling', 'sliding', 'session'] as const;

const windowSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    // Name the bad kind and the accepted ones instead of zod's generic union message.
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const what = value === undefined ? 'is required' : 'must be an object';
      ctx.addIssue({ code: 'custom', message: `${what}, e.g. {kind: tumbling, size: 1h}` });
      return;
    }
    const kind = (value as { kind?: unknown }).kind;
    if (!WINDOW_KINDS.includes(kind as (typeof WINDOW_KINDS)[number])) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: `unknown window kind ${JSON.stringify(kind)}; use one of ${WINDOW_KINDS.join(', ')}`,
      });
    }
  })
  .pipe(z.discriminatedUnion('kind', [tumbling, sliding, session]))
  .superRefine((w, ctx) => {
    if (w.kind === 'sliding' && w.period > w.size) {
      ctx.addIssue({
        code: 'custom',
        path: ['period'],
        message: `must not exceed window.size (${formatDuration(w.size)}); got ${formatDuration(w.period)}`,
      });
    }
    if (w.kind !== 'session') {
      const step = w.kind === 'sliding' ? w.period : w.size;
      if (w.offset >= step) {
        ctx.addIssue({
          code: 'custom',
          path: ['offset'],
          message: `must be smaller than window.${w.kind === 'sliding' ? 'period' : 'size'} (${formatDuration(step)}); got ${formatDuration(w.offset)}`,
        });
      }
    }
  });

const watermarkSchema = z.strictObject({
  /** how far behind the newest event time of a partition its stragglers may still arrive */
  max_out_of_orderness: duration().default(0),
  /** processing time after which a silent partition stops holding the watermark back; null = never */
  idle_timeout: positiveDuration().nullable().default(60_000),
  /** when every partition is idle, let the watermark advance with processing time */
  advance_when_idle: z.boolean().default(false),
});

const triggerSchema = z.strictObject({
  /** EARLY panes this long (processing time) after the first unfired event of a window */
  early_every: positiveDuration().nullable().default(null),
});

export const windowingConfigSchema = z
  .strictObject({
    window: windowSchema,
    watermark: watermarkSchema.default({ max_out_of_orderness: 0, idle_timeout: 60_000, advance_when_idle: false }),
    allowed_lateness: duration().default(0),
    max_future_skew: duration().default(300_000),
    trigger: triggerSchema.default({ early_every: null }),
    accumulation: z.enum(['accumulating', 'discarding']).default('accumulating'),
  })
  .transform((c): WindowingConfig => ({
    window:
      c.window.kind === 'tumbling'
        ? { kind: 'tumbling', sizeMs: c.window.size, offsetMs: c.window.offset }
        : c.window.kind === 'sliding'
          ? { kind: 'sliding', sizeMs: c.window.size, periodMs: c.window.period, offsetMs: c.window.offset }
          : { kind: 'session', gapMs: c.window.gap },
    watermark: {
      maxOutOfOrdernessMs: c.watermark.max_out_of_orderness,
      idleTimeoutMs: c.watermark.idle_timeout,
      advanceWhenIdle: c.watermark.advance_when_idle,
    },
    allowedLatenessMs: c.allowed_lateness,
    maxFutureSkewMs: c.max_future_skew,
    trigger: { earlyEveryMs: c.trigger.early_every },
    accumulation: c.accumulation,
  }));

export type WindowSpec =
  | { readonly kind: 'tumbling'; readonly sizeMs: number; readonly offsetMs: number }
  | { readonly kind: 'sliding'; readonly sizeMs: number; readonly periodMs: number; readonly offsetMs: number }
  | { readonly kind: 'session'; readonly gapMs: number };

/** Normalised windowing config: what the engine takes. All durations in integer milliseconds. */
export interface WindowingConfig {
  readonly window: WindowSpec;
  readonly watermark: {
    readonly maxOutOfOrdernessMs: number;
    /** null: a partition never counts as idle */
    readonly idleTimeoutMs: number | null;
    readonly advanceWhenIdle: boolean;
  };
  readonly allowedLatenessMs: number;
  readonly maxFutureSkewMs: number;
  readonly trigger: { readonly earlyEveryMs: number | null };
  readonly accumulation: 'accumulating' | 'discarding';
}

/** The YAML/JSON input form (before defaults and duration parsing). */
export type WindowingConfigInput = z.input<typeof windowingConfigSchema>;

export interface ConfigIssue {
  /** dotted field path, e.g. `window.period` or `streams.0.window.size` */
  readonly path: string;
  readonly message: string;
}

export class WindowingConfigError extends Error {
  override readonly name = 'WindowingConfigError';
  constructor(
    readonly issues: readonly ConfigIssue[],
    readonly source?: string,
  ) {
    super(
      `invalid windowing config${source ? ` in ${source}` : ''}:\n` +
        issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n'),
    );
  }
}

function toIssues(error: z.ZodError, prefix: readonly (string | number)[]): ConfigIssue[] {
  const dotted = (path: readonly PropertyKey[]) => [...prefix, ...path].map(String).join('.');
  return error.issues.flatMap((issue) =>
    // One issue per unknown key, with the key in the path, so the operator sees where the typo is.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: dotted([...issue.path, key]), message: 'unknown key; check its spelling against the windowing README' }))
      : [{ path: dotted(issue.path), message: issue.message }],
  );
}

export interface ParseOptions {
  /** file name for the error message, e.g. `driftline.yaml` */
  readonly source?: string;
  /** where this block sits in a larger file, e.g. ['streams', 0] */
  readonly pathPrefix?: readonly (string | number)[];
}

/** Validates and normalises; throws WindowingConfigError naming every bad field. */
export function parseWindowingConfig(input: unknown, options: ParseOptions = {}): WindowingConfig {
  const result = windowingConfigSchema.safeParse(input);
  if (!result.success) throw new WindowingConfigError(toIssues(result.error, options.pathPrefix ?? []), options.source);
  return result.data;
}

/** Same, from YAML text (a whole file holding just the windowing block). */
export function parseWindowingConfigYaml(text: string, options: ParseOptions = {}): WindowingConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new WindowingConfigError([{ path: '', message: `not valid YAML: ${(err as Error).message}` }], options.source);
  }
  return parseWindowingConfig(doc, options);
}
