import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../../shared/config/configProblem.js';
import { configReferenceMarkdown, currentReferenceBlock, replaceReferenceBlock } from '../../shared/config/configReference.js';
import { configSummary } from '../../shared/config/configSummary.js';
import { defaultsYaml } from '../../shared/config/defaultsYaml.js';
import { loadConfig, resolveConfigPath } from '../../shared/config/loadConfig.js';

/** `driftline config check | print-defaults | reference`. */
export function register(program: Command): void {
  const config = program.command('config').description('check driftline.yaml, print the defaults or the config reference');

  config
    .command('check')
    .description('validate a config file; prints a summary, or every problem as file:line: key: message (fix: …) and exits 1')
    .argument('[file]', 'config file (same as -c)')
    .option('-c, --config <file>', 'config file (default: ./driftline.yaml if present, else the built-in defaults)')
    .action((file: string | undefined, opts: { config?: string }) => {
      try {
        const loaded = loadConfig(resolveConfigPath(file ?? opts.config));
        process.stdout.write(`${configSummary(loaded.config, loaded.source, loaded.hash)}\n`);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(`${err.message}\n${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} found\n`);
        process.exitCode = 1;
      }
    });

  config
    .command('print-defaults')
    .description('print the complete built-in config as commented YAML (a starting point for driftline.yaml)')
    .action(() => {
      process.stdout.write(defaultsYaml());
    });

  config
    .command('reference')
    .description('print the config reference (every key, type, default, description) as markdown')
    .option('--write <file>', 'replace the generated block between the config-reference markers in this file (e.g. README.md)')
    .option('--check <file>', 'exit 1 if the generated block in this file is out of date')
    .action((opts: { write?: string; check?: string }) => {
      const reference = configReferenceMarkdown();
      if (opts.write) {
        writeFileSync(opts.write, replaceReferenceBlock(readFileSync(opts.write, 'utf8'), reference));
        process.stderr.write(`updated the config reference in ${opts.write}\n`);
      } else if (opts.check) {
        if (currentReferenceBlock(readFileSync(opts.check, 'utf8')) !== reference) {
          process.stderr.write(`${opts.check}: config reference is out of date (fix: driftline config reference --write ${opts.check})\n`);
          process.exitCode = 1;
        }
      } else {
        process.stdout.write(reference);
      }
    });
}
