import type { z } from 'zod';

/**
 * A fast accept path compiled from a zod schema, which stays the single source of truth: the
 * compiled check only says "valid, and this is exactly what zod would return" or "don't know"
 * (undefined). Every rejection, and every value it is unsure about, goes to zod, which decides and
 * writes the error message. It exists because zod's general machinery costs ~3 µs per vessel
 * position on the ingest's hot path, and a plain function built from the same definitions ~0.3 µs
 * (acceptPath.spec measures both and checks agreement on random inputs).
 *
 * Compiled: strict or stripping objects, strings with length checks or the ISO date-time format
 * (zod's own regex), numbers with bounds and integer checks, nullable, default, union, and pipes into
 * transforms (called with zod's payload; any issue or a promise means "don't know"). Transforms must
 * be pure, as they are in schemas/messages. A schema using anything else compiles to undefined: zod
 * alone then, as before.
 */
export type AcceptPath = (input: unknown) => { readonly value: unknown } | undefined;

/** A compiled check: the output value, or REJECT for "not sure, ask zod". */
type Check = (input: unknown) => unknown;

interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: Record<string, unknown> } }[];
  readonly [key: string]: unknown;
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const REJECT: unique symbol = Symbol('reject');

class Unsupported extends Error {}

function numberCheck(def: Def): Check {
  if (def.coerce) throw new Unsupported('coerce');
  // every bound folds into one range test (the strictest of each side), no closure per check
  let min = -Infinity;
  let minInclusive = true;
  let max = Infinity;
  let maxInclusive = true;
  let int = false;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    const v = d.value as number;
    if (d.check === 'greater_than' && typeof v === 'number') {
      if (v > min || (v === min && !d.inclusive)) [min, minInclusive] = [v, Boolean(d.inclusive)];
    } else if (d.check === 'less_than' && typeof v === 'number') {
      if (v < max || (v === max && !d.inclusive)) [max, maxInclusive] = [v, Boolean(d.inclusive)];
    } else if (d.check === 'number_format' && d.format === 'safeint') {
      int = true;
    } else {
      throw new Unsupported(`number check ${String(d.check)}`);
    }
  }
  // zod 4 numbers are finite: NaN and ±Infinity are refused before any check
  return (x) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) return REJECT;
    if (minInclusive ? x < min : x <= min) return REJECT;
    if (maxInclusive ? x > max : x >= max) return REJECT;
    if (int && !Number.isSafeInteger(x)) return REJECT;
    return x;
  };
}

function stringCheck(schema: unknown, def: Def): Check {
  if (def.coerce) throw new Unsupported('coerce');
  let pattern: RegExp | undefined;
  if (def.format !== undefined) {
    // only formats whose whole check is their pattern
    const p = (schema as { _zod: { pattern?: RegExp } })._zod.pattern;
    if (def.format !== 'datetime' || !(p instanceof RegExp) || p.global || p.sticky) throw new Unsupported(`string format ${String(def.format)}`);
    pattern = p;
  }
  let min = 0;
  let max = Infinity;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'min_length' && typeof d.minimum === 'number') min = Math.max(min, d.minimum);
    else if (d.check === 'max_length' && typeof d.maximum === 'number') max = Math.min(max, d.maximum);
    else throw new Unsupported(`string check ${String(d.check)}`);
  }
  return (x) => {
    if (typeof x !== 'string' || x.length < min || x.length > max) return REJECT;
    if (pattern && !pattern.test(x)) return REJECT;
    return x;
  };
}

function objectCheck(def: Def): Check {
  const shape = def.shape as Record<string, unknown>;
  const catchall = def.catchall === undefined ? 'strip' : defOf(def.catchall).type === 'never' ? 'strict' : undefined;
  if (!catchall) throw new Unsupported('catchall');
  const keys = Object.keys(shape);
  const checks = keys.map((key) => {
    const f = defOf(shape[key]);
    // zod leaves out an absent key whose result is undefined; these kinds never give undefined
    if (!['string', 'number', 'nullable', 'default', 'pipe', 'union'].includes(f.type)) throw new Unsupported(`field type ${f.type}`);
    return compile(shape[key]);
  });
  const known = new Set(keys);
  const build = shapeBuilder(keys, checks);
  return (x) => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return REJECT;
    const proto = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null) return REJECT;
    const input = x as Record<string, unknown>;
    if (catchall === 'strict') {
      for (const key in input) if (!known.has(key)) return REJECT;
    }
    return build(input);
  };
}

/**
 * Checks every field and builds the output in shape order, as zod does. Generated code writes the
 * output as one object literal (a loop of keyed stores costs a third of the whole check per message);
 * where code cannot be generated (`--disallow-code-generation-from-strings`, or a `__proto__` field,
 * which a literal would take for the prototype) the loop does it.
 */
function shapeBuilder(keys: readonly string[], checks: readonly Check[]): (input: Record<string, unknown>) => unknown {
  const loop = (input: Record<string, unknown>): unknown => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const value = checks[i]!(input[keys[i]!]);
      if (value === REJECT || value === undefined) return REJECT;
      out[keys[i]!] = value;
    }
    return out;
  };
  if (keys.includes('__proto__')) return loop;
  const reads = keys.map((k, i) => `const v${i} = checks[${i}](input[${JSON.stringify(k)}]); if (v${i} === REJECT || v${i} === undefined) return REJECT;`);
  const literal = keys.map((k, i) => `${JSON.stringify(k)}: v${i}`).join(', ');
  try {
    const make = new Function('checks', 'REJECT', `return (input) => {\n${reads.join('\n')}\nreturn { ${literal} };\n};`) as
      (checks: readonly Check[], reject: typeof REJECT) => (input: Record<string, unknown>) => unknown;
    return make(checks, REJECT);
  } catch {
    return loop;
  }
}

function compile(schema: unknown): Check {
  const def = defOf(schema);
  // refinements on anything but numbers and strings (which compile theirs) are not compiled
  if (def.type !== 'number' && def.type !== 'string' && (def.checks ?? []).length > 0) throw new Unsupported(`${def.type} refinements`);
  switch (def.type) {
    case 'number':
      return numberCheck(def);
    case 'string':
      return stringCheck(schema, def);
    case 'object':
      return objectCheck(def);
    case 'nullable': {
      const inner = compile(def.innerType);
      return (x) => (x === null ? null : inner(x));
    }
    case 'default': {
      const inner = compile(def.innerType);
      const fallback = def.defaultValue;
      if (fallback !== null && typeof fallback === 'object') throw new Unsupported('object default');
      return (x) => (x === undefined ? fallback : inner(x));
    }
    case 'union': {
      const options = (def.options as unknown[]).map(compile);
      return (x) => {
        for (const option of options) {
          const value = option(x);
          if (value !== REJECT) return value;
        }
        return REJECT;
      };
    }
    case 'pipe': {
      const into = compile(def.in);
      const out = defOf(def.out);
      if (out.type !== 'transform' || (out.checks ?? []).length > 0) throw new Unsupported('pipe');
      const transform = out.transform as (value: unknown, payload: { value: unknown; issues: unknown[] }) => unknown;
      return (x) => {
        const value = into(x);
        if (value === REJECT) return REJECT;
        // the payload zod hands a transform: one that reports an issue fails, so ask zod
        const payload = { value, issues: [] as unknown[] };
        const result = transform(value, payload);
        return payload.issues.length > 0 || result instanceof Promise ? REJECT : result;
      };
    }
    default:
      throw new Unsupported(def.type);
  }
}

/** The schema's accept path, or undefined when it uses something this compiler does not know. */
export function compileAcceptPath(schema: z.ZodType): AcceptPath | undefined {
  let check: Check;
  try {
    check = compile(schema);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  return (input) => {
    try {
      const value = check(input);
      return value === REJECT || value === undefined ? undefined : { value };
    } catch {
      return undefined; // let zod meet whatever threw
    }
  };
}
