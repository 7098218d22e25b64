/**
 * Replaces `${NAME}` in string values with the environment variable, so secrets (MQTT and SASL
 * passwords) need not be written into driftline.yaml. `$${NAME}` keeps a literal `${NAME}`.
 * Returns the expanded value and the paths of references to unset variables.
 */
export function expandEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: PropertyKey[] = [],
  missing: { path: PropertyKey[]; name: string }[] = [],
): { value: unknown; missing: { path: PropertyKey[]; name: string }[] } {
  if (typeof value === 'string') {
    const expanded = value.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => {
      if (match.startsWith('$$')) return match.slice(1);
      const v = env[name];
      if (v === undefined) {
        missing.push({ path, name });
        return match;
      }
      return v;
    });
    return { value: expanded, missing };
  }
  if (Array.isArray(value)) {
    return { value: value.map((v, i) => expandEnv(v, env, [...path, i], missing).value), missing };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandEnv(v, env, [...path, k], missing).value;
    return { value: out, missing };
  }
  return { value, missing };
}
