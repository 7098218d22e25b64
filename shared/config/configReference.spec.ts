import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, variants, type JsonSchemaNode } from './configJsonSchema.js';
import { configReferenceMarkdown, currentReferenceBlock, replaceReferenceBlock, REFERENCE_END, REFERENCE_START } from './configReference.js';
import { defaultsYaml } from './defaultsYaml.js';
import { defaultConfig, parseConfigText } from './loadConfig.js';

function undocumented(node: JsonSchemaNode, path: string, out: string[]): string[] {
  for (const v of variants(node)) {
    for (const [k, child] of Object.entries(v.properties ?? {})) {
      if (!child.description) out.push(`${path}.${k}`);
      undocumented(child, `${path}.${k}`, out);
    }
    if (typeof v.additionalProperties === 'object') {
      if (!v.additionalProperties.description) out.push(`${path}.<name>`);
      undocumented(v.additionalProperties, `${path}.<name>`, out);
    }
  }
  return out;
}

describe('config reference', () => {
  it('every key of the schema has a description', () => {
    expect(undocumented(configJsonSchema(), '', [])).toEqual([]);
  });

  it('lists every key with type, default and description', () => {
    const md = configReferenceMarkdown();
    expect(md).toContain('| `streams.<name>.window.size` | duration | *required* | *kind `tumbling`:* window length |');
    expect(md).toContain('| `sources.mqtt.session_expiry` | duration | `24h` |');
    expect(md).toContain('| `bus.partitions` | integer ≥ 1, ≤ 1024 | `4` |');
    expect(md).toMatch(/\| `sources\.mqtt\.url` \| string \| \*unset\* \| broker URL/);
  });

  it('the README config section is the generated text (regenerate: driftline config reference --write README.md)', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    expect(currentReferenceBlock(readme)).toBe(configReferenceMarkdown());
  });

  it('replaceReferenceBlock swaps only the text between the markers', () => {
    const doc = `intro\n${REFERENCE_START}\nold\n${REFERENCE_END}\noutro\n`;
    const next = replaceReferenceBlock(doc, 'new\n');
    expect(next).toBe(`intro\n${REFERENCE_START}\n\nnew\n\n${REFERENCE_END}\noutro\n`);
    expect(currentReferenceBlock(next)).toBe('new\n');
    expect(() => replaceReferenceBlock('no markers')).toThrow(/markers/);
  });
});

describe('print-defaults', () => {
  it('is commented YAML that parses back to exactly the built-in defaults', () => {
    const text = defaultsYaml();
    expect(text).toMatch(/^# driftline\.yaml: the built-in defaults/);
    expect(text).toContain('# MQTT 5 session expiry');
    expect(text).toContain('session_expiry: 24h');
    expect(parseConfigText(text, 'defaults.yaml', {})).toEqual(defaultConfig());
  });
});
