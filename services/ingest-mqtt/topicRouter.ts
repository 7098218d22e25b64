import type { StreamConfig } from '../../shared/config/streamSchema.js';
import { compileTopicPattern, matchTopic, type TopicPattern } from '../../shared/config/topicPattern.js';

export interface Route {
  readonly stream: string;
  readonly config: StreamConfig;
  /** the device or vessel id carried in the topic */
  readonly key: string;
}

/** Maps an MQTT topic to its stream and the key in it, using the streams' topic patterns. */
export class TopicRouter {
  private readonly entries: { stream: string; config: StreamConfig; pattern: TopicPattern }[];

  constructor(streams: Readonly<Record<string, StreamConfig>>) {
    this.entries = Object.entries(streams).map(([stream, config]) => ({ stream, config, pattern: compileTopicPattern(config.topic) }));
  }

  /** One subscription filter per stream (`{key}` → `+`). */
  get filters(): string[] {
    return this.entries.map((e) => e.pattern.filter);
  }

  route(topic: string): Route | undefined {
    for (const e of this.entries) {
      const key = matchTopic(e.pattern, topic);
      if (key !== undefined) return { stream: e.stream, config: e.config, key };
    }
    return undefined;
  }
}
