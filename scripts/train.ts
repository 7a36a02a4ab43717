/**
 * Train the learned router (docs/classifier.md):
 *
 *   npm run train -- <labelled.jsonl or directory>... [--date YYYY-MM-DD] [--tag T] [--seed N] [--bits B] [--orders 1,2,3] [--epochs E]
 *                    [--l2 X] [--rate X] [--calibration-share 0.2] [--review-budget 0.12] [--point] [--cv K]
 *
 * Lines are the labelled format of `npm run check:corpus`. A fixed share of tickets (chosen by a hash of the ticket
 * id, so the same ticket always lands on the same side) is set aside as the calibration slice: the weights never see
 * it; the temperature and the review threshold are fitted on it, and the model card reports its metrics. Writes
 * `models/router-<date>.json` and `models/router-<date>.card.md`; `--point` also points `config/router-model.json`
 * at it. The same files, options and seed give the same model bytes (the date names the files and the card only).
 * `--cv K` instead compares a few feature and penalty settings by K-fold cross-validation on the training slice and
 * writes nothing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClassifyAndRoute } from '../functions/domain/classify/index.js';
import { Classifier } from '../functions/domain/classify/classifier.js';
import { clueLogits, decodeModel, encodeModel, modelLogits, type RouterModel } from '../functions/domain/classify/model/router-model.js';
import {
  DEFAULT_TRAIN_OPTIONS,
  fitTemperature,
  reliability,
  train,
  trainClue,
  type Example,
  type TrainOptions,
} from '../functions/domain/classify/model/train.js';
import { CLUE_KINDS, DOMAINS, parseAgencyId, type ClueKind, type Domain } from '../functions/domain/taxonomy.js';
import { ticketSchemaFor, type SourcedTicket } from '../functions/domain/ticket/schemas.js';
import { sourceTicketId } from '../functions/domain/ticket/source.js';
import { directory } from '../functions/config/directory.js';
import { bestGuessOf } from '../functions/domain/route/router.js';
import { lexicon } from '../functions/config/lexicon.js';
import { routing } from '../functions/config/routing.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    date: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    seed: { type: 'string', default: String(DEFAULT_TRAIN_OPTIONS.seed) },
    bits: { type: 'string', default: String(DEFAULT_TRAIN_OPTIONS.spec.bits) },
    orders: { type: 'string', default: DEFAULT_TRAIN_OPTIONS.spec.orders.join(',') },
    epochs: { type: 'string', default: String(DEFAULT_TRAIN_OPTIONS.epochs) },
    l2: { type: 'string', default: String(DEFAULT_TRAIN_OPTIONS.l2) },
    rate: { type: 'string', default: String(DEFAULT_TRAIN_OPTIONS.rate) },
    'calibration-share': { type: 'string', default: '0.2' },
    'review-budget': { type: 'string', default: '0.12' },
    point: { type: 'boolean', default: false },
    tag: { type: 'string' },
    'out-dir': { type: 'string', default: 'models' },
    cv: { type: 'string' },
  },
});
if (positionals.length === 0) {
  process.stderr.write('usage: npm run train -- <labelled.jsonl>... [--date YYYY-MM-DD] [--point] [--cv K]\n');
  process.exit(2);
}
if (positionals.some((f) => f.replace(/\\/g, '/').includes('data/blind/'))) {
  process.stderr.write('data/blind/ is the blind slice: nothing trains or tunes on it (see scripts/split-blind.ts)\n');
  process.exit(2);
}
const options: TrainOptions = {
  spec: { bits: Number(values.bits), orders: values.orders!.split(',').map(Number) },
  epochs: Number(values.epochs),
  l2: Number(values.l2),
  rate: Number(values.rate),
  seed: Number(values.seed),
};
const calibrationShare = Number(values['calibration-share']);
const reviewBudget = Number(values['review-budget']);

interface Row {
  key: string;
  t: SourcedTicket;
  domain: Domain;
  clue: ClueKind;
  agency: string;
}
const lines: string[] = [];
const rows: Row[] = [];
// A directory stands for its .jsonl files, in name order.
const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => `${p}/${f}`)
    : [p],
);
for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const raw = JSON.parse(line) as { source: '12345' | '12309'; ticket: unknown; label: { domain: Domain; clue: ClueKind; agency: string } };
    const t = { source: raw.source, ticket: ticketSchemaFor[raw.source].parse(raw.ticket) } as SourcedTicket;
    lines.push(line);
    rows.push({ key: `${raw.source}:${sourceTicketId(t)}`, t, domain: raw.label.domain, clue: raw.label.clue, agency: raw.label.agency });
  }
}
const dataHash = createHash('sha256')
  .update([...lines].sort().join('\n'))
  .digest('hex');
const bucketOf = (key: string): number => createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
const calibration = rows.filter((r) => bucketOf(r.key) < calibrationShare);
const training = rows.filter((r) => bucketOf(r.key) >= calibrationShare);

const lexiconOnly = new Classifier(lexicon, routing);
const inputs = new Map(rows.map((r) => [r.key, lexiconOnly.routerInput(r.t)]));
const examples = (rs: Row[]): Example[] => rs.map((r) => ({ input: inputs.get(r.key)!, label: DOMAINS.indexOf(r.domain) }));
const accuracy = (m: RouterModel, rs: Row[]): number => {
  let right = 0;
  for (const r of rs) {
    const z = modelLogits(m, inputs.get(r.key)!);
    let top = 0;
    for (let d = 1; d < z.length; d++) if (z[d]! > z[top]!) top = d;
    if (DOMAINS[top] === r.domain) right++;
  }
  return right / rs.length;
};

if (values.cv) {
  const k = Number(values.cv);
  const candidates: TrainOptions[] = [];
  for (const bits of [14, 16])
    for (const orders of [
      [1, 2],
      [1, 2, 3],
    ])
      for (const l2 of [1e-6, 1e-5, 1e-4]) candidates.push({ ...options, spec: { bits, orders }, l2 });
  console.log(`${k}-fold cross-validation on the training slice (${training.length} tickets); domain accuracy of the model alone`);
  for (const c of candidates) {
    let sum = 0;
    for (let f = 0; f < k; f++) {
      const fold = (r: Row) => Math.floor(bucketOf(`cv:${r.key}`) * k) === f;
      const m = train(examples(training.filter((r) => !fold(r))), c);
      sum += accuracy(m, training.filter(fold));
    }
    console.log(`bits ${c.spec.bits}  orders ${c.spec.orders.join(',')}  l2 ${c.l2}  accuracy ${(sum / k).toFixed(4)}`);
  }
  process.exit(0);
}

// 1. Weights on the training slice; 2. temperature on the calibration slice.
let model = train(examples(training), options);
model.temperature = fitTemperature(
  calibration.map((r) => modelLogits(model, inputs.get(r.key)!)),
  calibration.map((r) => DOMAINS.indexOf(r.domain)),
);
model.dataHash = dataHash;
// The clue head (线索) on the same training slice, its own temperature on the calibration slice.
const clueExamples = (rs: Row[]): Example[] => rs.map((r) => ({ input: inputs.get(r.key)!, label: CLUE_KINDS.indexOf(r.clue) }));
const clueHead = trainClue(clueExamples(training), options);
clueHead.temperature = fitTemperature(
  calibration.map((r) => clueLogits(clueHead, options.spec, inputs.get(r.key)!)),
  calibration.map((r) => CLUE_KINDS.indexOf(r.clue)),
);
model.clue = clueHead;

// 3. The review threshold on the calibration slice, through the whole router (lexicon-model disagreement included):
// the highest threshold whose review rate stays within the dispatch center's budget, i.e. the fewest misroutes the
// people available can prevent. (A misroute target instead would ask for whatever review it takes: on the
// calibration slice of 2026-12-03, misroute ≤ 3 % took 71 % review.)
const kindOf = (id: string): string => parseAgencyId(id)?.kind ?? id;
const decideAll = (m: RouterModel) => {
  const route = createClassifyAndRoute({ lexicon, routing, directory, model: m });
  return calibration.map((r) => {
    const d = route(r.t);
    // At threshold 0 the router flags only lexicon-model disagreement and tickets with no domain (dispatch center).
    return {
      confidence: d.confidence,
      flagged: d.needsReview,
      right: kindOf(bestGuessOf(d)) === r.agency,
      domainRight: d.domain === r.domain,
      clue: d.clue,
      label: r.clue,
    };
  });
};
/** Clue F1 (any clue vs none) and clue-kind accuracy on the true clues. */
const clueFigures = (xs: { clue: ClueKind; label: ClueKind }[]) => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let kindRight = 0;
  let clues = 0;
  for (const x of xs) {
    if (x.clue !== 'none' && x.label !== 'none') tp++;
    else if (x.clue !== 'none') fp++;
    else if (x.label !== 'none') fn++;
    if (x.label !== 'none') {
      clues++;
      if (x.clue === x.label) kindRight++;
    }
  }
  return { f1: (2 * tp) / Math.max(1, 2 * tp + fp + fn), kind: kindRight / Math.max(1, clues) };
};
// The clue choice's two offsets, on the calibration slice through the whole router: the pair with the best clue F1 +
// clue-kind accuracy + twice the agency accuracy (on 12309 the clue decides the agency, and a clue found where there is
// none sends the ticket to the procuratorate; ties: the smaller bonus to the rules, then the smaller shift away from
// none). The shift stops at −2: beyond it clue-kind accuracy still rises but only by finding clues everywhere.
let bestClueFit = { ruleBonus: 0, noneBias: 0, score: Number.NEGATIVE_INFINITY };
for (const ruleBonus of [0, 0.5, 1, 1.5, 2, 3])
  for (const noneBias of [0, -0.5, -1, -1.5, -2]) {
    const decided = decideAll({ ...model, clue: { ...clueHead, ruleBonus, noneBias }, reviewThreshold: 0 });
    const f = clueFigures(decided);
    const score = f.f1 + f.kind + (2 * decided.filter((d) => d.right).length) / decided.length;
    if (score > bestClueFit.score + 1e-9) bestClueFit = { ruleBonus, noneBias, score };
  }
clueHead.ruleBonus = bestClueFit.ruleBonus;
clueHead.noneBias = bestClueFit.noneBias;
const cluesWithHead = clueFigures(decideAll({ ...model, reviewThreshold: 0 }));
const cluesByRules = clueFigures(decideAll({ ...model, clue: undefined, reviewThreshold: 0 }));
type Scored = ReturnType<typeof decideAll>;
const at = (scored: Scored, threshold: number) => {
  let misrouted = 0;
  let reviewed = 0;
  for (const s of scored) {
    if (s.flagged || s.confidence < threshold) reviewed++;
    else if (!s.right) misrouted++;
  }
  return { threshold, misroute: misrouted / scored.length, review: reviewed / scored.length };
};
// 4. The review rule, on the calibration slice through the whole router: for each level of how sure the lexicon must
// be of its own agency for a disagreement to go to review, the highest threshold within the budget; the level with the
// fewest misroutes wins (ties: the lower level, i.e. more disagreements reviewed). A disagreement where the lexicon
// itself is unsure is mostly the lexicon being wrong (docs/classifier.md gives the counts): reviewing those spends the
// budget the threshold would spend on the model's own doubtful tickets. The levels stop at 0.95, so a lexicon sure of another agency always sends the ticket to a person.
const DISAGREE_LEVELS = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
const levels = DISAGREE_LEVELS.map((level) => {
  const scored = decideAll({ ...model, reviewThreshold: 0, disagreeMinConfidence: level });
  const curve = Array.from({ length: 100 }, (_, i) => at(scored, i / 100));
  const chosen = [...curve].reverse().find((p) => p.review <= reviewBudget) ?? curve[0]!;
  return { level, scored, curve, chosen };
});
const fit = levels.reduce((best, l) => (l.chosen.misroute < best.chosen.misroute - 1e-12 ? l : best));
const { scored, curve, chosen } = fit;
model = { ...model, reviewThreshold: chosen.threshold, disagreeMinConfidence: fit.level };

if (values.tag !== undefined && !/^[a-z0-9-]{1,20}$/.test(values.tag)) throw new Error(`--tag must be 1–20 of a–z, 0–9, '-', got ${values.tag}`);
/** `router-<date>[-<tag>]`: a second model on one day gets a tag, so the first stays to roll back to. */
const stem = `router-${values.date}${values.tag ? `-${values.tag}` : ''}`;
const out = `models/${stem}.json`;
const outFile = `${values['out-dir']}/${stem}.json`;
const bytes = encodeModel(model, (b) => Buffer.from(b).toString('base64'));
decodeModel(bytes, out, (s) => new Uint8Array(Buffer.from(s, 'base64'))); // what we write must load
writeFileSync(outFile, bytes);

// The model card.
const calib = scored.map((s) => s.confidence);
const rel = reliability(
  calib,
  scored.map((s) => s.right),
);
const final = at(scored, chosen.threshold);
const perDomain = DOMAINS.map((d) => `| ${d} | ${training.filter((r) => r.domain === d).length} | ${calibration.filter((r) => r.domain === d).length} |`);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const card = `# Router model card: \`${out}\`

- Date: ${values.date}
- Command (reproduces this file byte for byte): \`npm run train -- ${positionals.join(' ')} --date ${values.date}${values.tag ? ` --tag ${values.tag}` : ''} --seed ${options.seed} --bits ${options.spec.bits} --orders ${options.spec.orders.join(',')} --epochs ${options.epochs} --l2 ${options.l2} --rate ${options.rate} --calibration-share ${calibrationShare} --review-budget ${reviewBudget}\`
- Training data: ${rows.length} tickets (SHA-256 of the sorted lines \`${dataHash}\`)
- Split: ${training.length} training, ${calibration.length} calibration (${pct(calibrationShare)} by a hash of the ticket id; the weights never saw the calibration slice)
- Features: hashed character n-grams of orders ${options.spec.orders.join(', ')} in 2^${options.spec.bits} buckets, the lexicon's per-domain scores and choice, the hotline
- Training: multinomial logistic regression, AdaGrad, ${options.epochs} epochs, L2 ${options.l2}, rate ${options.rate}, seed ${options.seed}
- Clue head: the same n-grams plus the lexicon's hints (each clue cue's strength, the rules' clue, the ticket type), over the ${CLUE_KINDS.length} clue kinds
- File: ${(Buffer.byteLength(bytes) / 1024 / 1024).toFixed(2)} MB; sparse weights int8 per domain and per clue kind

## Calibration slice (${calibration.length} tickets; the temperature and threshold were fitted on it, so these figures are not blind)

- Temperature: ${model.temperature}
- Review threshold: ${chosen.threshold} (highest with review ≤ ${pct(reviewBudget)}, the dispatch center's budget)
- Disagreement level: ${fit.level} (a ticket the lexicon alone would send elsewhere goes to review when the lexicon gives that agency at least this probability; fitted with the threshold)
- Domain accuracy (model + lexicon): ${pct(scored.filter((s) => s.domainRight).length / scored.length)}
- Model alone, domain accuracy: ${pct(accuracy(model, calibration))}
- At the threshold: misrouted ${pct(final.misroute)}, review ${pct(final.review)}
- Expected calibration error of the route confidence: ${rel.ece.toFixed(3)}
- Clue head temperature: ${clueHead.temperature}; rule bonus ${clueHead.ruleBonus}, none bias ${clueHead.noneBias} (fitted here)
- Clues with the clue head: F1 ${cluesWithHead.f1.toFixed(3)}, kind ${cluesWithHead.kind.toFixed(3)} (the lexicon's rules on the model's domain: F1 ${cluesByRules.f1.toFixed(3)}, kind ${cluesByRules.kind.toFixed(3)})

| confidence | tickets | mean confidence | right |
|---|---|---|---|
${rel.table.map((b) => `| ${b.from.toFixed(1)}–${b.to.toFixed(1)} | ${b.n} | ${b.n ? b.meanConfidence.toFixed(2) : '–'} | ${b.n ? b.accuracy.toFixed(2) : '–'} |`).join('\n')}

Disagreement level against the best threshold within the budget:

| level | threshold | review | misrouted |
|---|---|---|---|
${levels.map((l) => `| ${l.level} | ${l.chosen.threshold.toFixed(2)} | ${pct(l.chosen.review)} | ${pct(l.chosen.misroute)} |`).join('\n')}

Review rate against misroute rate by threshold (at the chosen level):

| threshold | review | misrouted |
|---|---|---|
${curve
  .filter((_, i) => i % 5 === 0 || i === Math.round(chosen.threshold * 100))
  .map((p) => `| ${p.threshold.toFixed(2)} | ${pct(p.review)} | ${pct(p.misroute)} |`)
  .join('\n')}

## Tickets per domain

| domain | training | calibration |
|---|---|---|
${perDomain.join('\n')}

## Tickets per clue kind

| clue | training | calibration |
|---|---|---|
${CLUE_KINDS.map((c) => `| ${c} | ${training.filter((r) => r.clue === c).length} | ${calibration.filter((r) => r.clue === c).length} |`).join('\n')}
`;
writeFileSync(`${values['out-dir']}/${stem}.card.md`, card);
if (values.point) {
  const pointerFile = 'config/router-model.json';
  const pointer = JSON.parse(readFileSync(pointerFile, 'utf8')) as { model: string | null };
  pointer.model = out;
  writeFileSync(pointerFile, `${JSON.stringify(pointer, null, 2)}\n`);
}
console.log(
  JSON.stringify({
    model: out,
    bytes: Buffer.byteLength(bytes),
    training: training.length,
    calibration: calibration.length,
    temperature: model.temperature,
    reviewThreshold: chosen.threshold,
    disagreeMinConfidence: fit.level,
    calibrationMisroute: final.misroute,
    calibrationReview: final.review,
    ece: Number(rel.ece.toFixed(4)),
    clueF1: Number(cluesWithHead.f1.toFixed(4)),
    clueKind: Number(cluesWithHead.kind.toFixed(4)),
    dataHash,
  }),
);
