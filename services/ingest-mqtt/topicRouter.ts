import type { StreamConfig } from '../../shared/config/streamSchema.js';
import { compileTopicPattern, matchTopic, type TopicPattern } from '../../shared/config/topicPattern.js';

export interface Route {
  readonly stream: string;
  readonly config: StreamConfig;
  /** the device or vessel id carried in the topic */
  readonly key: string;
}

/** Topics remembered before the memo starts over (a fleet's devices, not a stream of unique topics). */
const MAX_TOPICS = 100_000;

/**
 * Maps an MQTT topic to its stream and the key in it, using the streams' topic patterns. Each topic's
 * route is remembered: the ingest routes every message, and a fleet publishes on the same few thousand
 * topics over and over.
 */
export class TopicRouter {
  private readonly entries: { stream: string; config: StreamConfig; pattern: TopicPattern }[];
  private readonly routes = new Map<string, Route | undefined>();

  constructor(streams: Readonly<Record<string, StreamConfig>>) {
    this.entries = Object.entries(streams).map(([stream, config]) => ({ stream, config, pattern: compileTopicPattern(config.topic) }));
  }

  /** One subscription filter per stream (`{key}` → `+`). */
  get filters(): string[] {
    return this.entries.map((e) => e.pattern.filter);
  }

  route(topic: string): Route | undefined {
    let route = this.routes.get(topic);
    if (route !== undefined || this.routes.has(topic)) return route;
    route = this.match(topic);
    if (this.routes.size >= MAX_TOPICS) this.routes.clear();
    this.routes.set(topic, route);
    return route;
  }

  private match(topic: string): Route | undefined {
    for (const e of this.entries) {
      const key = matchTopic(e.pattern, topic);
      if (key !== undefined) return Object.freeze({ stream: e.stream, config: e.config, key });
    }
    return undefined;
  }
}
