import { z } from 'zod';
import { EVENT_SOURCE, SCHEMA_VERSION } from './envelope.js';
import { EVENT_SCHEMAS, type EventType } from './schemas.js';

/** JSON Schema (draft 2020-12) of one event's detail, as published in `events/json/<detail-type>.json`. */
export function jsonSchemaOf(type: EventType): Record<string, unknown> {
  return {
    $id: `https://hotline.integration/events/${type}/v${SCHEMA_VERSION}`,
    title: type,
    description: `detail of the EventBridge event with source "${EVENT_SOURCE}" and detail-type "${type}"`,
    ...z.toJSONSchema(EVENT_SCHEMAS[type], { target: 'draft-2020-12', io: 'output' }),
  };
}

export const eventJsonFiles = (): [file: string, content: string][] =>
  (Object.keys(EVENT_SCHEMAS) as EventType[]).map((t) => [`${t}.json`, `${JSON.stringify(jsonSchemaOf(t), null, 2)}\n`]);
