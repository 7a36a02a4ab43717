/**
 * Child process of the ReDoS tests (not a test itself): `tsx redos-probe.ts group-keys|classify` prints `ready` once
 * loaded, then runs the patterns that read citizen text on adversarial tickets of the maximum length — a complaint
 * followed by one vocabulary word (or pattern fragment) repeated to the end — and prints `done <count>`. The parent
 * kills it when that takes more than a few seconds: a pattern that backtracks exponentially never finishes.
 */
import groupKeyVocabulary from '../../config/group-keys.json' with { type: 'json' };
import lexicon from '../../config/lexicon.json' with { type: 'json' };
import { groupKeysOf } from '../../functions/config/group-keys.js';
import { classifyAndRoute } from '../../functions/config/classify.js';
import { Ticket12309, Ticket12345 } from '../../functions/domain/ticket/schemas.js';

/** The maximum length a (possibly optional) zod/mini string schema allows, read from the schema itself. */
type Check = { _zod: { def: { check?: string; maximum?: number } } };
type Inspectable = { _zod: { def: { innerType?: Inspectable; checks?: Check[] } } };
const maxLengthOf = (schema: unknown): number => {
  const s = schema as Inspectable;
  const max = (s._zod.def.innerType ?? s)._zod.def.checks?.find((c) => c._zod.def.check === 'max_length')?._zod.def.maximum;
  if (typeof max !== 'number') throw new Error('schema has no maximum length');
  return max;
};
const maxContent = maxLengthOf(Ticket12345.shape.content);
const maxAddress = maxLengthOf(Ticket12345.shape.address);
const maxDemand = maxLengthOf(Ticket12309.shape.demand);

const fill = (prefix: string, unit: string, length: number, end: string): string => {
  const s = prefix + unit.repeat(Math.ceil((length - prefix.length - end.length) / unit.length));
  return s.slice(0, length - end.length) + end;
};

function groupKeyWords(): string[] {
  const v = groupKeyVocabulary;
  return [
    ...v.enterprise.legalForms,
    ...v.enterprise.industries,
    ...v.enterprise.businesses,
    ...v.enterprise.standalone,
    ...v.enterprise.notAfterStandalone,
    ...Object.keys(v.enterprise.notFollowedBy),
    ...v.boundary.words,
    ...v.boundary.chars,
    ...Object.keys(v.boundary.guardedChars),
    ...v.genericCores,
    ...v.notName.words,
    ...v.notName.chars,
    ...v.regionNames,
    // Place and address grammar: suffixes, digits and trailing positions repeated.
    ...['小区', '花园', '村', '河', '公园', '市场', '路1', '1', '号楼', '附近', '东侧', '(', '“'],
  ];
}

/** Every character and every run of characters written in the lexicon's regular expressions, and digits. */
function patternFragments(): string[] {
  const out = ['1', '12', '十一', '一二'];
  for (const e of [...Object.values(lexicon.domains), ...Object.values(lexicon.cues)] as { patterns?: { regex: string }[] }[]) {
    for (const p of e.patterns ?? []) {
      const source = p.regex.replace(/\\./g, '');
      out.push(...source.match(/\p{Script=Han}/gu)!, ...(source.match(/\p{Script=Han}{2,}/gu) ?? []));
    }
  }
  return out;
}

const mode = process.argv[2];
const units = new Set(mode === 'classify' ? patternFragments() : groupKeyWords());
process.stdout.write('ready\n');
let n = 0;
for (const w of units) {
  // Ended by something nothing accepts, so that a backtracking pattern explores all its ways to split the run.
  for (const end of ['。', 'x']) {
    if (mode === 'classify') {
      // One 12309 ticket reads both of its long fields (content and demand), the 12345 path reads the same text.
      const content = fill('我要反映，', w, maxContent, end);
      const demand = fill('要求', w, maxDemand, end);
      classifyAndRoute({
        source: '12309',
        ticket: Ticket12309.parse({
          caseNo: 'R',
          receivedAt: '2026-05-06T09:30:00+08:00',
          channel: 'visit',
          matterType: 'report',
          content,
          demand,
          procuratorateCode: '150300',
        }),
      });
    } else {
      const content = fill('老板拖欠我们工资三个月了，', w, maxContent, end);
      const address = fill('乌海市', w, maxAddress, end);
      groupKeysOf({ content, address }, ['enterprise', 'place', 'address']);
    }
    n++;
  }
}
process.stdout.write(`done ${n}\n`);
