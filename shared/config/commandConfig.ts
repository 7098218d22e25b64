import { ConfigError } from './configProblem.js';
import { loadConfig, resolveConfigPath, type LoadedConfig } from './loadConfig.js';

/** `-c, --config <file>`: the option every service command takes, with the same help text. */
export const CONFIG_OPTION = ['-c, --config <file>', 'config file (default: ./driftline.yaml if present, else the built-in defaults)'] as const;

/**
 * Loads the config a command was pointed at. A bad config prints its problems (file, line, key,
 * fix) on stderr, sets exit code 1 and returns undefined, so the command stops before connecting
 * anywhere; any other error is a bug and propagates.
 */
export function loadCommandConfig(option: string | undefined): LoadedConfig | undefined {
  try {
    return loadConfig(resolveConfigPath(option));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
    return undefined;
  }
}
