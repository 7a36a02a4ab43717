/**
 * Agency directory (承办单位名录): which agencies exist in which region, and how a region falls back to its
 * parent for the kinds it lacks. Loaded from `config/agencies.json`; the router and the CDK app (one queue and
 * one rule per agency) both read it, so the two can never disagree.
 */
import { z } from 'zod';
import { AgencyKind, RegionCode, agencyId, type AgencyId } from '../taxonomy.js';
import { ConfigError } from '../errors.js';

// Validation (tests, cdk synth) only: built in a pure IIFE, so a Lambda bundle that never validates leaves it, and
// zod, out. Lambdas build with AgencyDirectory.fromFile from the JSON that validation accepted.
export const DirectoryFile = /* @__PURE__ */ (() =>
  z.strictObject({
    $comment: z.string().optional(),
    defaultRegion: RegionCode,
    kinds: z.record(AgencyKind, z.string().min(1)),
    regions: z
      .array(
        z.strictObject({
          code: RegionCode,
          name: z.string().min(1),
          parent: RegionCode.nullable(),
          kinds: z.union([z.literal('*'), z.array(AgencyKind).min(1)]),
          names: z.record(AgencyKind, z.string().min(1)).optional(),
          /**
           * Jurisdiction (管辖范围) of this region's agencies, by kind, where it is not the region itself: the regions
           * whose subtrees the agency covers. Absent for a kind = the agency covers its own region and every region
           * below it (a city's department covers its districts).
           */
          covers: z.record(AgencyKind, z.array(RegionCode).min(1)).optional(),
          /**
           * The kinds of this region whose agency consumes its SQS queue (an integration reads Case.Dispatched from it).
           * Absent = none: the agency works from the agency API, its queue is kept but nobody is paged about its age.
           */
          queueConsumers: z.array(AgencyKind).optional(),
        }),
      )
      .min(1),
  }))();
export type DirectoryFile = z.infer<typeof DirectoryFile>;

export interface Agency {
  id: AgencyId;
  kind: string;
  regionCode: string;
  name: string;
  /** The agency's own system reads its SQS queue (`queueConsumers`): it gets a consumer role and a queue-age alarm. */
  consumesByQueue: boolean;
}

export interface Region {
  code: string;
  name: string;
  parent: string | null;
}

/**
 * Where an agency may act (管辖范围): read similar-case clusters and the joint report, issue recommendations, route
 * cases, follow cases as an operator. The agency directory implements it; the agency API asks it.
 */
export interface Jurisdiction {
  /** Does `agencyId` cover the place `regionCode` (a code the directory does not list counts as the region it falls back to)? */
  covers(agencyId: string | null, regionCode: string): boolean;
  /** Does `agencyId` cover the region of the agency `otherId` (false for an agency not in the directory)? */
  coversAgency(agencyId: string | null, otherId: string | undefined): boolean;
  /** The directory's regions `agencyId` covers, in directory order (none for an agency not in the directory). */
  regionsOf(agencyId: string | null): Region[];
}

/** How a (region, kind) pair was resolved: `fallback` says the agency sits in an ancestor or the default region. */
export interface Resolution {
  agency: Agency;
  fallback: boolean;
}

export class AgencyDirectory implements Jurisdiction {
  private readonly byId = new Map<string, Agency>();
  private readonly regions = new Map<string, Region>();
  /** Each agency's covered regions (the subtrees of its `covers` roots, or of its own region). */
  private readonly coverage = new Map<string, ReadonlySet<string>>();

  private constructor(
    readonly defaultRegion: string,
    readonly kindNames: Readonly<Record<string, string>>,
    agencies: Agency[],
    regions: Region[],
    roots: ReadonlyMap<string, readonly string[]>,
  ) {
    for (const r of regions) this.regions.set(r.code, r);
    for (const a of agencies) this.byId.set(a.id, a);
    for (const a of agencies) {
      const from = roots.get(a.id) ?? [a.regionCode];
      this.coverage.set(a.id, new Set(regions.filter((r) => from.some((root) => this.isWithin(r.code, root))).map((r) => r.code)));
    }
  }

  /** Is `code` the region `root` or below it (following parents)? */
  private isWithin(code: string, root: string): boolean {
    const seen = new Set<string>();
    for (let c: string | null = code; c !== null && !seen.has(c); c = this.regions.get(c)?.parent ?? null) {
      if (c === root) return true;
      seen.add(c);
    }
    return false;
  }

  /**
   * A directory from a file of the right shape (directoryFromJson checks the shape with zod): checks what a
   * schema cannot (duplicates, parents, reachability) and throws ConfigError listing every problem.
   */
  static fromFile(d: DirectoryFile, file = 'config/agencies.json'): AgencyDirectory {
    const problems: string[] = [];
    const kinds = Object.keys(d.kinds);
    const regions = new Map<string, Region>();
    for (const [i, r] of d.regions.entries()) {
      if (regions.has(r.code)) problems.push(`regions.${i}.code: region ${r.code} is listed twice`);
      regions.set(r.code, { code: r.code, name: r.name, parent: r.parent });
    }
    const agencies: Agency[] = [];
    const roots = new Map<string, string[]>();
    for (const [i, r] of d.regions.entries()) {
      if (r.parent !== null && !regions.has(r.parent)) problems.push(`regions.${i}.parent: region ${r.parent} is not in the directory`);
      const list = r.kinds === '*' ? kinds : r.kinds;
      for (const k of list) {
        if (!(k in d.kinds)) {
          problems.push(`regions.${i}.kinds: unknown agency kind "${k}" (declare it under "kinds")`);
          continue;
        }
        agencies.push({
          id: agencyId(r.code, k),
          kind: k,
          regionCode: r.code,
          name: r.names?.[k] ?? `${r.name}${d.kinds[k]}`,
          consumesByQueue: r.queueConsumers?.includes(k) ?? false,
        });
      }
      for (const [j, k] of (r.queueConsumers ?? []).entries()) {
        if (!list.includes(k)) problems.push(`regions.${i}.queueConsumers.${j}: the region does not list kind "${k}", so it has no such agency queue`);
        else if (r.queueConsumers!.indexOf(k) !== j) problems.push(`regions.${i}.queueConsumers.${j}: kind "${k}" is listed twice`);
      }
      for (const k of Object.keys(r.names ?? {})) {
        if (!list.includes(k)) problems.push(`regions.${i}.names.${k}: the region does not list kind "${k}"`);
      }
      for (const [k, covered] of Object.entries(r.covers ?? {})) {
        const at = `regions.${i}.covers.${k}`;
        if (!list.includes(k)) problems.push(`${at}: the region does not list kind "${k}", so no agency here has a jurisdiction to declare`);
        for (const [j, c] of covered.entries()) {
          if (!regions.has(c)) problems.push(`${at}.${j}: region ${c} is not in the directory`);
          if (covered.indexOf(c) !== j) problems.push(`${at}.${j}: region ${c} is listed twice`);
        }
        roots.set(agencyId(r.code, k), covered);
      }
    }
    // Parent chains must end: a cycle would make fallback loop forever.
    for (const r of regions.values()) {
      const seen = new Set<string>();
      for (let c: string | null = r.code; c !== null; c = regions.get(c)?.parent ?? null) {
        if (seen.has(c)) {
          problems.push(`regions: parent chain of ${r.code} loops through ${c}`);
          break;
        }
        seen.add(c);
      }
    }
    if (!regions.has(d.defaultRegion)) problems.push(`defaultRegion: region ${d.defaultRegion} is not in the directory`);
    if (problems.length) throw new ConfigError(file, problems);
    const dir = new AgencyDirectory(d.defaultRegion, d.kinds, agencies, [...regions.values()], roots);
    // An agency always acts where it sits: a jurisdiction that left out its own region would hide its own cases.
    for (const [i, r] of d.regions.entries()) {
      for (const k of Object.keys(r.covers ?? {})) {
        if (!dir.covers(agencyId(r.code, k), r.code))
          problems.push(`regions.${i}.covers.${k}: the jurisdiction must include the agency's own region ${r.code} (or a region above it)`);
      }
    }
    // Every kind must be reachable from every region, or the router would have nowhere to send a ticket.
    if (problems.length === 0) {
      for (const r of regions.values()) {
        for (const k of kinds) {
          if (!dir.resolve(r.code, k)) problems.push(`kinds.${k}: no "${k}" agency in region ${r.code}, its parents, or the default region`);
        }
      }
    }
    if (problems.length) throw new ConfigError(file, problems);
    return dir;
  }

  list(): Agency[] {
    return [...this.byId.values()];
  }

  get(id: string): Agency | undefined {
    return this.byId.get(id);
  }

  region(code: string): Region | undefined {
    return this.regions.get(code);
  }

  listRegions(): Region[] {
    return [...this.regions.values()];
  }

  hasKind(kind: string): boolean {
    return kind in this.kindNames;
  }

  covers(agencyId: string | null, regionCode: string): boolean {
    return !!agencyId && !!this.coverage.get(agencyId)?.has(this.regionOf(regionCode));
  }

  coversAgency(agencyId: string | null, otherId: string | undefined): boolean {
    const other = otherId === undefined ? undefined : this.byId.get(otherId);
    return !!other && this.covers(agencyId, other.regionCode);
  }

  regionsOf(agencyId: string | null): Region[] {
    const covered = agencyId ? this.coverage.get(agencyId) : undefined;
    return covered ? this.listRegions().filter((r) => covered.has(r.code)) : [];
  }

  /**
   * The agency of `kind` responsible for `regionCode`: the region itself, then its parents; a region code the
   * directory does not know is tried as its city (XXXX00) and province (XX0000), then the default region.
   */
  resolve(regionCode: string, kind: string): Resolution | undefined {
    const start = this.regionOf(regionCode);
    let fallback = start !== regionCode;
    for (let c: string | null = start; c !== null; c = this.regions.get(c)?.parent ?? null) {
      const a = this.byId.get(agencyId(c, kind));
      if (a) return { agency: a, fallback };
      fallback = true;
    }
    if (start !== this.defaultRegion) {
      const a = this.byId.get(agencyId(this.defaultRegion, kind));
      if (a) return { agency: a, fallback: true };
    }
    return undefined;
  }

  /**
   * The directory region a region code belongs to: itself when listed, else its city (XXXX00), its province
   * (XX0000), then the default region. Routing and jurisdiction both place a code this way.
   */
  regionOf(code: string): string {
    if (this.regions.has(code)) return code;
    for (const candidate of [`${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`]) {
      if (this.regions.has(candidate)) return candidate;
    }
    return this.defaultRegion;
  }
}

/**
 * Validates a directory file (shape with zod, then AgencyDirectory.fromFile's checks); throws ConfigError naming
 * `file` and every problem's path. Not a static method: a class keeps all its methods in a bundle.
 */
export function directoryFromJson(data: unknown, file = 'config/agencies.json'): AgencyDirectory {
  const parsed = DirectoryFile.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  return AgencyDirectory.fromFile(parsed.data, file);
}
