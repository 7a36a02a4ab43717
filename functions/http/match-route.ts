/**
 * Matching a request against the route table, in two steps:
 * 1. `findRoute`: which route has this method and this path shape (literal segments equal, one segment per
 *    `{param}`, an optional trailing slash). Local mode uses this alone to pick the function.
 * 2. `decodeParams`: the route's parameters, percent-decoded and checked against PATH_PARAMS. A malformed
 *    percent-encoding or an over-long value is bad input (400 with details), a value that names no such thing
 *    (an unknown hotline or action) is 404. Nothing here can throw anything but an HttpError.
 */
import { HttpError, validationFailed } from './http-error.js';
import { PATH_PARAMS, type PathParamName, type RouteSpec } from './routes.js';

const segmentsOf = (path: string): string[] => path.replace(/\/$/, '').split('/');

/** `{name}` of a template segment, if it is a parameter. */
const paramName = (segment: string): string | undefined => /^\{([A-Za-z]+)\}$/.exec(segment)?.[1];

export interface RouteHit<R extends RouteSpec = RouteSpec> {
  route: R;
  /** The parameters as they appear in the path (still percent-encoded). */
  raw: Record<string, string>;
}

/** Matches the path (without the query) against one template; the raw parameter values, or undefined. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = segmentsOf(template);
  const got = segmentsOf(path);
  if (want.length !== got.length) return undefined;
  const raw: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const name = paramName(want[i]!);
    if (name) {
      if (!got[i]) return undefined;
      raw[name] = got[i]!;
    } else if (want[i] !== got[i]) return undefined;
  }
  return raw;
}

export function findRoute<R extends RouteSpec>(routes: readonly R[], method: string, path: string): RouteHit<R> | undefined {
  for (const route of routes) {
    if (route.method !== method.toUpperCase()) continue;
    const raw = matchPath(route.path, path);
    if (raw) return { route, raw };
  }
  return undefined;
}

export const notFound = () => new HttpError(404, { error: 'not_found' });

/** Percent-decodes one path segment; undefined when the encoding is malformed (`%E0%A4%A`). */
export function decodeSegment(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The decoded, checked parameters of a hit; throws 400 `validation_failed` or 404 `not_found`. */
export function decodeParams(hit: RouteHit): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, raw] of Object.entries(hit.raw)) {
    const spec = PATH_PARAMS[name as PathParamName] as { maxLength: number; values?: readonly string[] } | undefined;
    const max = spec?.maxLength ?? 128;
    // Checked before decoding too: decoding a huge segment is work nobody needs.
    if (raw.length > max * 3) throw validationFailed([{ index: null, path: name, message: `must be at most ${max} characters` }]);
    const value = decodeSegment(raw);
    if (value === undefined) throw validationFailed([{ index: null, path: name, message: 'malformed percent-encoding in the path' }]);
    if (value.length > max) throw validationFailed([{ index: null, path: name, message: `must be at most ${max} characters` }]);
    if (spec?.values && !spec.values.includes(value)) throw notFound();
    params[name] = value;
  }
  return params;
}
