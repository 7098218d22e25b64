/**
 * A stream's MQTT topic pattern: topic levels with exactly one whole level `{key}`, e.g.
 * `driftline/vessels/{key}/position`. The ingest subscribes with `{key}` replaced by `+` and reads
 * the device or vessel id back out of each topic, so it can compare it with the id in the payload.
 */
export const KEY_PLACEHOLDER = '{key}';

export interface TopicPattern {
  readonly pattern: string;
  readonly levels: readonly string[];
  readonly keyLevel: number;
  /** MQTT subscription filter: `{key}` replaced by `+` */
  readonly filter: string;
  /** the text before and after the `{key}` level, slashes included: `driftline/vessels/` and `/position` */
  readonly prefix: string;
  readonly suffix: string;
}

/** Why `pattern` is not a valid topic pattern, or undefined when it is. */
export function topicPatternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'is empty';
  if (pattern.startsWith('$')) return 'starts with "$", which brokers reserve for system topics';
  if (pattern.includes('\u0000')) return 'contains a NUL character';
  const levels = pattern.split('/');
  const keyLevels = levels.filter((l) => l === KEY_PLACEHOLDER).length;
  if (keyLevels !== 1) return `must contain exactly one whole topic level "${KEY_PLACEHOLDER}" (found ${keyLevels})`;
  const bad = levels.find((l) => l !== KEY_PLACEHOLDER && /[+#{}]/.test(l));
  if (bad !== undefined) return `level "${bad}" contains a wildcard or brace; only the "${KEY_PLACEHOLDER}" level may vary`;
  return undefined;
}

export function compileTopicPattern(pattern: string): TopicPattern {
  const problem = topicPatternProblem(pattern);
  if (problem) throw new Error(`topic pattern "${pattern}" ${problem}`);
  const levels = pattern.split('/');
  const keyLevel = levels.indexOf(KEY_PLACEHOLDER);
  return {
    pattern, levels, keyLevel,
    filter: levels.map((l, i) => (i === keyLevel ? '+' : l)).join('/'),
    prefix: levels.slice(0, keyLevel).map((l) => `${l}/`).join(''),
    suffix: levels.slice(keyLevel + 1).map((l) => `/${l}`).join(''),
  };
}

/** The key carried by `topic`, or undefined if the topic does not match (an empty key never matches). */
export function matchTopic(p: TopicPattern, topic: string): string | undefined {
  // Runs once per MQTT message: compare the fixed text around the key instead of splitting the topic
  // into levels (an array and a string per level).
  const end = topic.length - p.suffix.length;
  if (end <= p.prefix.length || !topic.startsWith(p.prefix) || !topic.endsWith(p.suffix)) return undefined;
  const slash = topic.indexOf('/', p.prefix.length);
  if (slash !== -1 && slash < end) return undefined;
  return topic.slice(p.prefix.length, end);
}

/** Whether two patterns can match the same topic (then a topic would belong to two streams). */
export function patternsOverlap(a: TopicPattern, b: TopicPattern): boolean {
  if (a.levels.length !== b.levels.length) return false;
  return a.levels.every((l, i) => l === b.levels[i] || i === a.keyLevel || i === b.keyLevel);
}
