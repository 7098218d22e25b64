import type { z } from 'zod';
import { keySuggestion } from './keySuggestion.js';

/** One thing wrong with a config file, located as precisely as the YAML allows. */
export interface ConfigProblem {
  readonly file: string;
  /** 1-based line of the offending key or value, when the file has one */
  readonly line?: number;
  /** dotted path of the bad key, e.g. `streams.vessels.window.size`; empty for the file as a whole */
  readonly path: string;
  readonly message: string;
  readonly fix?: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (String(seg) === '' || /[.\s[\]"]/.test(String(seg))) out += `[${JSON.stringify(String(seg))}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** `driftline.yaml:12: streams.vessels.window.size: "5x" is not a duration (fix: …)` */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}` : p.file;
  const path = p.path ? `${p.path}: ` : '';
  const fix = p.fix ? ` (fix: ${p.fix})` : '';
  return `${where}: ${path}${p.message}${fix}`;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Issue = z.core.$ZodIssue;

const YAML_TYPE: Record<string, string> = { object: 'mapping', array: 'list' };
const yamlType = (t: string) => YAML_TYPE[t] ?? t;

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function expectedOf(issues: readonly Issue[]): string[] {
  const out = new Set<string>();
  for (const i of issues) {
    if (i.code === 'invalid_type') out.add(yamlType(i.expected));
    else if (i.code === 'invalid_value') for (const v of i.values) out.add(JSON.stringify(v));
    else if (i.code === 'invalid_union') for (const e of expectedOf(i.errors.flat())) out.add(e);
  }
  return [...out];
}

/** The branch of a union whose type matched the input: its issues say what is actually wrong. */
function closestBranch(issue: Extract<Issue, { code: 'invalid_union' }>): readonly Issue[] | undefined {
  return issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.code !== 'invalid_type' && i.code !== 'invalid_value'));
}

function bound(issue: Extract<Issue, { code: 'too_big' | 'too_small' }>): string {
  const value = issue.code === 'too_big' ? issue.maximum : issue.minimum;
  const op = issue.code === 'too_big' ? (issue.inclusive ? '≤' : '<') : issue.inclusive ? '≥' : '>';
  if (issue.origin === 'array' || issue.origin === 'set') return `${op} ${String(value)} items`;
  if (issue.origin === 'string') return `${op} ${String(value)} characters`;
  return `${op} ${String(value)}`;
}

/**
 * zod issues → problems with plain messages and a fix each. `allowedKeys(path)` lists the keys valid
 * at a mapping (for "did you mean"), `input` is the parsed YAML (to tell a missing key from a wrong one).
 */
export function problemsFromIssues(
  issues: readonly Issue[],
  file: string,
  allowedKeys: (path: readonly PropertyKey[]) => string[],
  locate: (path: readonly PropertyKey[]) => number | undefined,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const add = (path: readonly PropertyKey[], message: string, fix?: string) =>
    out.push({ file, line: locate(path), path: formatPath(path), message, fix });

  const visit = (issue: Issue, path: readonly PropertyKey[]) => {
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeys(path);
        for (const key of issue.keys) {
          const guess = keySuggestion(key, allowed);
          const fix = guess ? `did you mean "${guess}"?` : allowed.length ? `allowed keys here: ${allowed.join(', ')}` : 'remove it';
          add([...path, key], 'unknown key', fix);
        }
        return;
      }
      case 'invalid_type': {
        const input = (issue as { input?: unknown }).input;
        if (input === undefined) {
          const key = path.length ? String(path[path.length - 1]) : 'value';
          add(path, 'required key is missing', `add "${key}: <${yamlType(issue.expected)}>"`);
        } else {
          add(path, `expected ${yamlType(issue.expected)}, got ${describeValue(input)}`, `write a ${yamlType(issue.expected)}`);
        }
        return;
      }
      case 'invalid_value':
        add(path, `${describeValue((issue as { input?: unknown }).input)} is not allowed`, `use one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}`);
        return;
      case 'invalid_union': {
        const disc = issue as Issue & { discriminator?: string; options?: unknown[]; note?: string };
        if (disc.note === 'No matching discriminator' && disc.options) {
          const parent = (issue as { input?: unknown }).input;
          const input = parent !== null && typeof parent === 'object' && disc.discriminator ? (parent as Record<string, unknown>)[disc.discriminator] : parent;
          const got = input === undefined ? 'required key is missing' : `${describeValue(input)} is not a known kind`;
          add(path, got, `set ${disc.discriminator ?? 'kind'} to one of ${disc.options.map((o) => JSON.stringify(o)).join(' | ')}`);
          return;
        }
        const branch = closestBranch(issue);
        if (branch) {
          for (const inner of branch) visit(inner, [...path, ...inner.path]);
          return;
        }
        const expected = expectedOf(issue.errors.flat());
        const input = (issue as { input?: unknown }).input;
        const message = input === undefined ? 'required key is missing' : `${describeValue(input)} is not allowed`;
        add(path, message, expected.length ? `write one of: ${expected.join(' | ')}` : undefined);
        return;
      }
      case 'too_big':
      case 'too_small':
        add(path, issue.message.replace(/^Too (big|small): /, 'too $1: '), `use a value ${bound(issue)}`);
        return;
      case 'invalid_key':
        for (const inner of issue.issues) add(path, `key ${JSON.stringify(path[path.length - 1])}: ${inner.message}`, 'rename it');
        return;
      case 'custom': {
        const fix = (issue.params as { fix?: string } | undefined)?.fix;
        add(path, issue.message, fix);
        return;
      }
      default:
        add(path, issue.message, 'see `driftline config reference`');
    }
  };

  for (const issue of issues) visit(issue, issue.path);
  return out;
}
