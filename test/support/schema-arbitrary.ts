/**
 * fast-check arbitraries derived from the request schemas themselves, through their JSON Schema (`z.toJSONSchema`,
 * input side). No maintained library maps zod 4 schemas to fast-check (zod-fast-check reads zod 3 internals), and
 * JSON Schema is zod 4's own stable export of a schema, so a small generator over it covers what the request schemas
 * use: objects (required, optional, no extra keys), strings (length, pattern, format), numbers, integers, booleans,
 * enums, arrays, unions. Then `hostile` mutates a generated value: huge and tiny numbers, long strings, odd
 * unicode, wrong types, date edge cases, extra and missing fields.
 */
import fc from 'fast-check';
import * as z from 'zod';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface ArbitraryOptions {
  /** Arbitraries for string formats (`date-time`, `uri` ...), and for named properties (overriding their schema). */
  formats?: Record<string, fc.Arbitrary<string>>;
  properties?: Record<string, fc.Arbitrary<unknown>>;
}

/** The JSON Schema of a zod (or zod/mini) schema, as a request body or query is written (`io: 'input'`). */
// biome-ignore lint/suspicious/noExplicitAny: zod/mini and zod classic schemas share the core type toJSONSchema takes
export const jsonSchemaOf = (schema: any): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** Strings of `min`–`max` UTF-16 units (what zod counts), mostly short, sometimes at the limit. */
function stringOf(min: number, max: number): fc.Arbitrary<string> {
  const cap = Math.min(max, 400);
  const body = fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: cap, unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: cap, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom('河', 'a', '😀').map((c) => c.repeat(Math.max(min, Math.floor(max / c.length)))) },
  );
  return body.filter((s) => s.length >= min && s.length <= max);
}

export function arbitraryOf(s: JsonSchema, opts: ArbitraryOptions = {}, name?: string): fc.Arbitrary<unknown> {
  if (name && opts.properties?.[name]) return opts.properties[name]!;
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.anyOf ?? s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf)!.map((x) => arbitraryOf(x, opts, name)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const props = s.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbitraryOf(v, opts, k)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    case 'array':
      return fc.array(arbitraryOf(s.items ?? {}, opts), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 12) });
    case 'string': {
      if (s.format && opts.formats?.[s.format]) return opts.formats[s.format]!;
      const min = s.minLength ?? 0;
      const max = s.maxLength ?? 200;
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= min && x.length <= max);
      return stringOf(min, max);
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e12, max: s.maximum ?? 1e12, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue();
  }
}

/** Dates at the edges of what ISO 8601 writes and of the ingest window. */
export const edgeDates = (): fc.Arbitrary<string> => {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  return fc.oneof(
    fc.constantFrom(
      '9999-12-31T23:59:59Z',
      '9999-12-31T23:59:59.999999999+14:00',
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:00:00-12:00',
      '1970-01-01T00:00:00Z',
      '2024-02-29T12:00:00+08:00',
      '2026-02-29T12:00:00+08:00',
      '2026-12-03T23:59:60Z',
      '2026-12-03T10:00:00+24:00',
      '+010000-01-01T00:00:00Z',
      '2026-12-03 10:00:00+08:00',
      '2026-12-03T10:00Z',
      '',
    ),
    fc.integer({ min: -400, max: 10 }).map((m) => iso(now + m * 60_000)),
    fc.integer({ min: 360, max: 400 }).map((d) => iso(now - d * 86_400_000)),
    fc
      .tuple(fc.integer({ min: 1, max: 60 }), fc.constantFrom('Z', '+08:00', '-05:30', '+14:00'))
      .map(([digits, off]) => `${iso(now - 3_600_000).slice(0, 19)}.${'7'.repeat(digits)}${off}`),
  );
};

/** Values nobody should send: what the store cannot hold, what parsers trip over, what the schema's type is not. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(1e-200, -1e-200, 5e-324, 1e-130, 9.99e-131, 1e126, 9.999999999999999e125, 1e300, -1.7976931348623157e308, -0, 0.30000000000000004),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(5_000, 20_000, 300_000).map((n) => 'x'.repeat(n)),
    fc.constantFrom('河'.repeat(3000), '😀'.repeat(2600), 'e\u0301'.repeat(2000)),
    fc.constantFrom('\u0000', '\uD800', 'a\uDC00b', '\u202Eevil', '\u200B', '\uFEFF', '#', 'CASE#x', '%', '%E0%A4%A', '../..', ' ', '\n', '{{x}}', '__proto__'),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.constantFrom(null, true, false, [], {}, ['a'], { a: 1 }, { $: { $: [] } }),
    edgeDates(),
  );

type Path = (string | number)[];

function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (at.length) out.push(at);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) pathsOf(x, [...at, i], out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> | undefined {
  let cur = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur?.[seg] as Record<string | number, unknown>;
  return cur && typeof cur === 'object' ? cur : undefined;
}

type Mutation = { kind: 'replace' | 'add' | 'delete'; pick: number; value: unknown; key: string };

function apply(value: unknown, mutations: Mutation[]): unknown {
  const root = structuredClone(value);
  for (const mutation of mutations) {
    // A copy: constants are shared between runs, and one inserted into itself would make a cycle.
    const m = { ...mutation, value: structuredClone(mutation.value) };
    const paths = pathsOf(root);
    if (!paths.length) return m.value;
    const path = paths[m.pick % paths.length]!;
    const parent = parentOf(root, path);
    if (!parent) continue;
    const last = path[path.length - 1]!;
    if (m.kind === 'replace') parent[last] = m.value;
    else if (m.kind === 'delete' && !Array.isArray(parent)) delete parent[last];
    else if (!Array.isArray(parent)) parent[m.key] = m.value;
  }
  return root;
}

/** A generated value, as is (`validShare` of the time) or with one to three hostile mutations. */
export function hostile<T>(valid: fc.Arbitrary<T>, validShare = 0.4): fc.Arbitrary<unknown> {
  const mutation = fc.record({
    kind: fc.constantFrom('replace', 'replace', 'add', 'delete') as fc.Arbitrary<Mutation['kind']>,
    pick: fc.nat(),
    value: hostileValue(),
    key: fc.constantFrom('extra', '__proto__', 'constructor', 'tickets', 'receivedAt', 'lat'),
  });
  const weight = Math.round(validShare * 10);
  return fc.oneof(
    { weight, arbitrary: valid as fc.Arbitrary<unknown> },
    { weight: 10 - weight, arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => apply(v, ms)) },
  );
}
