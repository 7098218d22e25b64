import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { configHash } from './configHash.js';
import { ConfigError, formatPath, problemsFromIssues, type ConfigProblem } from './configProblem.js';
import { driftlineConfigSchema, type DriftlineConfig } from './configSchema.js';
import { allowedKeysAt } from './configJsonSchema.js';
import { expandEnv } from './expandEnv.js';
import { lineOf } from './yamlLocator.js';

export const DEFAULT_CONFIG_FILE = 'driftline.yaml';
export const BUILT_IN = '(built-in defaults)';

export interface LoadedConfig {
  readonly config: DriftlineConfig;
  /** the file it came from, or `(built-in defaults)` */
  readonly source: string;
  /** sha256 of what decides prediction rows; the `config_hash` column */
  readonly hash: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates YAML text. Throws ConfigError listing every problem as
 * `file:line: path.of.key: message (fix: …)`.
 */
export function parseConfigText(text: string, file: string = DEFAULT_CONFIG_FILE, env: Env = process.env): DriftlineConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => ({
      file,
      line: lines.linePos(e.pos[0]).line,
      path: '',
      message: `YAML syntax: ${e.message.split('\n')[0]}`,
      fix: 'correct the indentation or quoting on that line',
    })));
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([{ file, line: 1, path: '', message: 'the file must be a mapping of keys (sources, streams, bus, …)', fix: 'start with e.g. "streams:"' }]);
  }
  const expanded = expandEnv(raw, env);
  const problems: ConfigProblem[] = expanded.missing.map(({ path, name }) => ({
    file,
    line: lineOf(doc, lines, path),
    path: formatPath(path),
    message: `environment variable ${name} is not set`,
    fix: `export ${name}=… before starting driftline, or write the value (use $\${${name}} for a literal)`,
  }));
  const result = driftlineConfigSchema.safeParse(expanded.value, { reportInput: true });
  if (!result.success) {
    problems.push(...problemsFromIssues(result.error.issues, file, allowedKeysAt, (path) => lineOf(doc, lines, path)));
  }
  if (problems.length > 0) {
    throw new ConfigError(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return (result as { data: DriftlineConfig }).data;
}

/** The config driftline uses when no file is given. */
export function defaultConfig(): DriftlineConfig {
  return driftlineConfigSchema.parse({});
}

/** `-c` if given, else ./driftline.yaml if it exists, else undefined (built-in defaults). */
export function resolveConfigPath(option: string | undefined, cwd: string = process.cwd()): string | undefined {
  if (option !== undefined) return option;
  const candidate = `${cwd}/${DEFAULT_CONFIG_FILE}`;
  return existsSync(candidate) ? DEFAULT_CONFIG_FILE : undefined;
}

/** Reads and validates a config file, or returns the built-in defaults when `path` is undefined. */
export function loadConfig(path: string | undefined, env: Env = process.env): LoadedConfig {
  if (path === undefined) {
    const config = defaultConfig();
    return { config, source: BUILT_IN, hash: configHash(config) };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([{
      file: path,
      path: '',
      message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`,
      fix: code === 'ENOENT' ? 'check the path, or omit -c to use the built-in defaults (`driftline config print-defaults` shows them)' : 'check the file\'s permissions',
    }]);
  }
  const config = parseConfigText(text, path, env);
  return { config, source: path, hash: configHash(config) };
}
