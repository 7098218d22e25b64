import type { Column } from './column.js';
import { isJsonValue, maxTimestampMs, minTimestampMs } from './rowSchema.js';
import type { TableDef } from './tableDef.js';

/**
 * A table's row check compiled from its column declarations, for the sinks' hot path. `rowSchema`
 * (zod) stays the definition: the compiled check only ever answers "valid, and this is exactly the
 * row zod would return" or undefined ("don't know"), and every undefined goes to zod, which decides
 * and writes the dead letter's detail. A worker lands thousands of rows a second that it built itself
 * and that always pass; zod's general machinery costs several µs on each of them, this a fraction.
 * rowCheck.spec checks on random rows that it never accepts what zod refuses and returns zod's output.
 */
export type RowCheck = (row: unknown) => Record<string, unknown> | undefined;

/** A column's check: its value as zod returns it, or REJECT. */
type ValueCheck = (value: unknown) => unknown;
const REJECT: unique symbol = Symbol('reject');

function typeCheck(column: Column): ValueCheck {
  if (column.values) {
    const values = new Set<unknown>(column.values);
    return (v) => (typeof v === 'string' && values.has(v) ? v : REJECT);
  }
  switch (column.type) {
    case 'string':
      return (v) => (typeof v === 'string' ? v : REJECT);
    case 'int64':
      return (v) => (Number.isSafeInteger(v) ? v : REJECT);
    case 'float64':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : REJECT);
    case 'bool':
      return (v) => (typeof v === 'boolean' ? v : REJECT);
    case 'timestamp':
      return (v) => (Number.isSafeInteger(v) && (v as number) >= minTimestampMs && (v as number) <= maxTimestampMs ? v : REJECT);
    case 'json':
      return (v) => (v !== null && isJsonValue(v) ? v : REJECT);
  }
}

function columnCheck(column: Column): ValueCheck {
  const check = typeCheck(column);
  // nullable columns: absent or null lands as null (rowSchema's `.nullable().default(null)`)
  return column.nullable ? (v) => (v === undefined || v === null ? null : check(v)) : check;
}

type Builder = (input: Record<string, unknown>) => Record<string, unknown> | undefined;

/**
 * The row built as generated code: one object literal in declaration order (zod's order), so every
 * row gets the same hidden class (a loop of keyed stores costs twice the whole check). Column names
 * are lower snake case (defineTable refuses anything else) and go in as JSON strings. Where code
 * cannot be generated (`--disallow-code-generation-from-strings`, or a column named `__proto__`,
 * which a literal would take for the prototype), the loop builds it.
 */
function builder(names: readonly string[], checks: readonly ValueCheck[]): Builder {
  const loop: Builder = (input) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const value = checks[i]!(input[names[i]!]);
      if (value === REJECT) return undefined;
      Object.defineProperty(out, names[i]!, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  if (names.some((n) => !/^[a-z_][a-z0-9_]*$/.test(n) || n === '__proto__')) return loop;
  const reads = names.map((n, i) => `const v${i} = checks[${i}](input[${JSON.stringify(n)}]); if (v${i} === REJECT) return undefined;`).join('\n');
  const literal = names.map((n, i) => `${JSON.stringify(n)}: v${i}`).join(', ');
  try {
    const make = new Function('checks', 'REJECT', `return (input) => {\n${reads}\nreturn { ${literal} };\n};`) as
      (checks: readonly ValueCheck[], reject: typeof REJECT) => Builder;
    return make(checks, REJECT);
  } catch {
    return loop;
  }
}

function compile(def: TableDef): RowCheck {
  const names = def.columns.map((c) => c.name);
  const known = new Set(names);
  const build = builder(names, def.columns.map(columnCheck));
  return (row) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return undefined;
    const proto = Object.getPrototypeOf(row);
    if (proto !== Object.prototype && proto !== null) return undefined;
    const input = row as Record<string, unknown>;
    // zod's strict object refuses undeclared columns
    for (const key in input) if (!known.has(key)) return undefined;
    return build(input);
  };
}

const cache = new WeakMap<TableDef, RowCheck>();

/** The compiled check of a table's rows (see RowCheck); undefined from it means "ask rowSchema". */
export function rowCheck(def: TableDef): RowCheck {
  let check = cache.get(def);
  if (!check) cache.set(def, (check = compile(def)));
  return check;
}
