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

/**
 * The whole EventBridge event of one type as JSON Schema draft 4 (the dialect EventBridge's schema registry reads,
 * `JSONSchemaDraft4`), its `detail` converted from the same zod schema as events/json/. Registered by the CDK app
 * (lib/event-schema-registry.ts) under `<source>@<detail-type>`, the name EventBridge's own discovery gives a schema.
 */
export function registrySchemaOf(type: EventType): Record<string, unknown> {
  const { $schema: _, ...detail } = z.toJSONSchema(EVENT_SCHEMAS[type], { target: 'draft-04', io: 'output' }) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: type,
    description: `EventBridge event with source "${EVENT_SOURCE}" and detail-type "${type}" (schema version ${SCHEMA_VERSION})`,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      'detail-type': { type: 'string', enum: [type] },
      source: { type: 'string', enum: [EVENT_SOURCE] },
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail,
    },
  };
}

/** The name of an event type's schema in the registry. */
export const registrySchemaName = (type: EventType): string => `${EVENT_SOURCE}@${type}`;
