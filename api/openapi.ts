/**
 * The OpenAPI 3.1 document of the HTTP API, built from the route table (functions/http/routes.ts: every route, its
 * path parameters, auth and body kind) and the zod schemas the handlers validate with (api/operations.ts), converted
 * with zod's own `z.toJSONSchema` (JSON Schema draft 2020-12, which OpenAPI 3.1 uses). `npm run openapi:export`
 * writes it to openapi.json, local mode serves it at `GET /openapi.json`, and a test fails when the committed file
 * differs from what this builds.
 *
 * A route added to the table appears here without any change: its parameters, security and error answers follow
 * from the table; an entry in api/operations.ts adds its request and answer schemas.
 */
import { z } from 'zod';
import pkg from '../package.json' with { type: 'json' };
import { REPLAY_WINDOW_SECONDS } from '../functions/domain/ingest/signature.js';
import { MAX_BODY_BYTES } from '../functions/http/body.js';
import { PATH_PARAMS, ROUTES, type AuthKind, type PathParamName, type RouteSpec } from '../functions/http/routes.js';
import { actionLabel, OPERATIONS, type OperationDoc, type Schema, type SuccessDoc } from './operations.js';
import { Ticket12309, Ticket12345 } from '../functions/domain/ticket/schemas.js';
import {
  CaseView,
  Cluster,
  ClusterPage,
  Conflict,
  FeedbackRecorded,
  Forbidden,
  InternalError,
  MonthlyReport,
  NotFound,
  PayloadTooLarge,
  QueueItem,
  QueuePage,
  ServiceUnavailable,
  StatusCallbackBody,
  TicketsAccepted,
  Unauthorized,
  UnsupportedMediaType,
  ValidationFailed,
} from './responses.js';

type Json = Record<string, unknown>;
const JSON_MEDIA = 'application/json; charset=utf-8';
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** The security scheme of each way a caller proves who it is (routes.ts `AuthKind`). */
const SECURITY: Record<AuthKind, { name: string; tag: string; scheme: Json }> = {
  'hotline-signature': {
    name: 'hotlineSignature',
    tag: 'hotlines',
    scheme: {
      type: 'apiKey',
      in: 'header',
      name: 'X-Hotline-Signature',
      description:
        '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the hotline\'s own shared secret (one per hotline: the path names ' +
        `the hotline). Valid for ${REPLAY_WINDOW_SECONDS} s around the server's clock. During a secret rotation send two \`v1=\` values, one per ` +
        'secret. Status callbacks to the hotline are signed the same way.',
    },
  },
  'agency-jwt': {
    name: 'agencyJwt',
    tag: 'agencies',
    scheme: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        "A token of the city's identity provider (the Cognito user pool the stack creates, or the OIDC issuer given with `-c jwtIssuer`), " +
        "naming the agency and the role (`agent`, `supervisor`, `dispatcher`, `operator`). In AWS the HTTP API's JWT authorizer checks it.",
    },
  },
};

const TAGS = [
  { name: 'hotlines', description: 'Called by the 12345 and 12309 hotline systems; signed with `X-Hotline-Signature`.' },
  { name: 'agencies', description: 'The agency API (承办单位, procuratorate): bearer JWT.' },
];

/** Every named schema: request ones converted as the client writes them (`io: input`), answers as the server writes them. */
const REQUEST_COMPONENTS: Record<string, Schema> = { Ticket12345, Ticket12309 };
const RESPONSE_COMPONENTS: Record<string, Schema> = {
  TicketsAccepted,
  FeedbackRecorded,
  QueueItem,
  QueuePage,
  CaseView,
  Cluster,
  ClusterPage,
  MonthlyReport,
  StatusCallback: StatusCallbackBody,
  ValidationFailed,
  Unauthorized,
  NotFound,
  Forbidden,
  Conflict,
  PayloadTooLarge,
  UnsupportedMediaType,
  ServiceUnavailable,
  InternalError,
};

const pascal = (s: string) => s.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, _sep, c: string) => c.toUpperCase());

/** One operation of the document: a route, or a route for one value of the parameter its body depends on. */
interface Op {
  route: RouteSpec;
  doc: OperationDoc | undefined;
  path: string;
  /** The value of the body's parameter, when the route is split by it. */
  value?: string;
  bodyId?: string;
}

function operationsOf(route: RouteSpec): Op[] {
  const doc = OPERATIONS[route.name as keyof typeof OPERATIONS];
  const body = doc?.body;
  if (body && 'by' in body) {
    return Object.keys(body.schemas).map((value) => ({
      route,
      doc,
      value,
      path: route.path.replace(`{${body.by}}`, value),
      bodyId: `${pascal(route.name)}${pascal(value)}Body`,
    }));
  }
  return [{ route, doc, path: route.path, ...(body ? { bodyId: `${pascal(route.name)}Body` } : {}) }];
}

const bodySchemaOf = (op: Op): Schema | undefined => {
  const body = op.doc?.body;
  if (!body) return undefined;
  return 'by' in body ? body.schemas[op.value!] : (body as Schema);
};

/** JSON Schema of one schema on its own (queries: read property by property). */
const inlineSchema = (s: Schema, io: 'input' | 'output'): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io, metadata: z.registry() }) as Json;
  return rest;
};

/** Converts named schemas together, so a schema used by another becomes a `$ref` to its component. */
function components(named: Record<string, Schema>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, s] of Object.entries(named)) registry.add(s, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    uri: (id) => `#/components/schemas/${id}`,
    // An answer may gain fields without a new API version: clients must not reject unknown ones.
    ...(io === 'output' ? { override: ({ jsonSchema }) => void (jsonSchema.additionalProperties === false && delete jsonSchema.additionalProperties) } : {}),
  }) as {
    schemas: Record<string, Json>;
  };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _, $id: __, ...s }]) => [id, s]));
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
    const spec = PATH_PARAMS[name as PathParamName] as { values?: readonly string[]; maxLength: number } | undefined;
    const schema: Json = { type: 'string', maxLength: spec?.maxLength };
    if (spec?.values) schema['enum'] = [...spec.values];
    return { name, in: 'path', required: true, schema };
  });
}

function queryParameters(query: Schema | undefined): Json[] {
  if (!query) return [];
  const s = inlineSchema(query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: s.required?.includes(name) ?? false, schema }));
}

const jsonContent = (id: string) => ({ content: { [JSON_MEDIA]: { schema: ref(id) } } });

/** The error answers the route table implies, plus the route's own. */
function errorResponses(route: RouteSpec, doc: OperationDoc | undefined, path: string): Json {
  const r: Json = {
    400: { description: 'Invalid request: path parameter, query or body. Every problem is listed; nothing changed.', ...jsonContent('ValidationFailed') },
  };
  if (route.auth === 'hotline-signature') {
    r[401] = {
      description: "Missing, malformed, stale (outside the window) or wrong signature, or one made with another hotline's secret.",
      ...jsonContent('Unauthorized'),
    };
  } else {
    r[401] = {
      description:
        'No token, or a token that is invalid, expired or lacks the agency and role claims. In AWS the JWT authorizer may answer first, ' +
        'with API Gateway\'s own body `{"message":"Unauthorized"}`.',
      headers: { 'WWW-Authenticate': { description: 'RFC 6750: `Bearer` or `Bearer error="invalid_token"`', schema: { type: 'string' } } },
      ...jsonContent('Unauthorized'),
    };
  }
  if (doc?.errors?.includes('403')) r[403] = { description: 'The caller may not do this.', ...jsonContent('Forbidden') };
  if (path.includes('{') || doc?.errors?.includes('404')) r[404] = { description: 'Not found (or not visible to the caller).', ...jsonContent('NotFound') };
  if (doc?.errors?.includes('409')) r[409] = { description: "Not possible in the case's current state.", ...jsonContent('Conflict') };
  if (route.body !== 'none') {
    r[413] = { description: `The body is over ${MAX_BODY_BYTES} bytes.`, ...jsonContent('PayloadTooLarge') };
    r[415] = { description: 'The body is not `application/json` (UTF-8).', ...jsonContent('UnsupportedMediaType') };
  }
  r[500] = { description: 'Unexpected error (logged).', ...jsonContent('InternalError') };
  r[503] = {
    description: 'A backing service failed. Nothing was lost or half done: send the same request again, with backoff.',
    headers: { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } } },
    ...jsonContent('ServiceUnavailable'),
  };
  return r;
}

function successResponses(op: Op, responseIds: Map<Schema, string>): Json {
  const success = op.doc?.success ?? { 200: { description: 'Success.' } as SuccessDoc };
  return Object.fromEntries(
    Object.entries(success).map(([status, s]) => {
      const content: Json = {};
      if (s.schema) content[JSON_MEDIA] = { schema: ref(responseIds.get(s.schema)!) };
      else content[JSON_MEDIA] = { schema: { type: 'object' } };
      for (const [media, description] of Object.entries(s.alternatives ?? {})) content[media] = { schema: { type: 'string', description } };
      return [status, { description: s.description, content }];
    }),
  );
}

function operation(op: Op, responseIds: Map<Schema, string>): Json {
  const { route, doc } = op;
  const sec = SECURITY[route.auth];
  const summary = route.name === 'action' && op.value ? `${op.value} (${actionLabel(op.value)})` : doc?.summary;
  const o: Json = {
    operationId: `${route.name}${op.value ? pascal(op.value) : ''}`,
    tags: [sec.tag],
    summary: summary ?? `${route.method} ${route.path}`,
  };
  if (doc?.description) o['description'] = doc.description;
  o['security'] = [{ [sec.name]: [] }];
  const parameters = [...pathParameters(op.path), ...queryParameters(doc?.query)];
  if (parameters.length) o['parameters'] = parameters;
  if (route.body !== 'none') {
    const schema = op.bodyId ? ref(op.bodyId) : { type: 'object' };
    o['requestBody'] = {
      required: route.body === 'json',
      ...(route.body === 'json-or-empty' ? { description: 'An empty body stands for `{}`.' } : {}),
      content: { [JSON_MEDIA]: { schema } },
    };
  }
  o['responses'] = { ...successResponses(op, responseIds), ...errorResponses(route, doc, op.path) };
  return o;
}

/** The whole document, of the route table (or, in tests, of another list of routes). */
export function openApiDocument(routes: readonly RouteSpec[] = ROUTES): Json {
  const ops = routes.flatMap((r) => operationsOf(r));

  const requestNamed: Record<string, Schema> = { ...REQUEST_COMPONENTS };
  for (const op of ops) {
    const s = bodySchemaOf(op);
    if (s && op.bodyId) requestNamed[op.bodyId] = s;
  }
  const responseNamed: Record<string, Schema> = { ...RESPONSE_COMPONENTS };
  const responseIds = new Map<Schema, string>(Object.entries(RESPONSE_COMPONENTS).map(([id, s]) => [s, id]));
  for (const op of ops)
    for (const [status, s] of Object.entries(op.doc?.success ?? {}))
      if (s.schema && !responseIds.has(s.schema)) {
        const id = `${pascal(op.route.name)}${status}`;
        responseIds.set(s.schema, id);
        responseNamed[id] = s.schema;
      }

  const paths: Record<string, Json> = {};
  for (const op of ops) {
    const byMethod = paths[op.path] ?? {};
    byMethod[op.route.method.toLowerCase()] = operation(op, responseIds);
    paths[op.path] = byMethod;
  }

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: '12345 / 12309 hotline integration API (府检联动)',
      version: pkg.version,
      description:
        'Hotline systems push tickets and callback-survey results here and receive status callbacks (see `webhooks`); agencies work their ' +
        'cases through the agency API. Integrator guide: docs/integrators.md. Events on the EventBridge bus: events/json/ and the ' +
        "stack's schema registry.",
    },
    servers: [
      { url: 'http://127.0.0.1:3000', description: 'local mode (`npm start`)' },
      {
        url: 'https://{apiHost}',
        description: "a deployment (the stack output `ApiUrl`, or the city's custom domain)",
        variables: { apiHost: { default: 'api.example.gov.cn' } },
      },
    ],
    tags: TAGS,
    paths,
    webhooks: {
      statusCallback: {
        post: {
          operationId: 'statusCallback',
          tags: ['hotlines'],
          summary: "A case's status changed: POSTed to the hotline's callback URL",
          description:
            "Signed like inbound requests (`X-Hotline-Signature` with the hotline's secret, verify it within the window). Delivered at least " +
            'once: deduplicate on `eventId` (also in the `X-Hotline-Event-Id` header). Any 2xx answer is a delivery; anything else is retried, ' +
            'then dead-lettered.',
          security: [{ [SECURITY['hotline-signature'].name]: [] }],
          parameters: [{ name: 'X-Hotline-Event-Id', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { [JSON_MEDIA]: { schema: ref('StatusCallback') } } },
          responses: { 200: { description: 'Received (any 2xx).' } },
        },
      },
    },
    components: {
      schemas: { ...components(requestNamed, 'input'), ...components(responseNamed, 'output') },
      securitySchemes: Object.fromEntries(Object.values(SECURITY).map((s) => [s.name, s.scheme])),
    },
  };
}

/** The committed file's content. */
export const openApiJson = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`;
