/**
 * Per-stage CPU µs per fixture ticket (`npm run bench:classify-stages`): each stage of the classifier timed alone, its
 * inputs precomputed by the stages before it. Says where `bench:classify`'s time goes; the figures in the README's known
 * limits come from it.
 */
import { lexicon } from '../functions/config/lexicon.js';
import { routing } from '../functions/config/routing.js';
import { directory } from '../functions/config/directory.js';
import { routerModel } from '../functions/config/router-model.js';
import { compileKnowledge } from '../functions/domain/classify/knowledge.js';
import { readContext, readTicket } from '../functions/domain/classify/stages/read-ticket.js';
import { applyGroupRules, applyHints, newTally, readTermFeatures, scoreDomainTerms, scorePatterns } from '../functions/domain/classify/stages/evidence.js';
import { chooseDomain, chooseFromModel } from '../functions/domain/classify/stages/choose-domain.js';
import { chooseTicketType } from '../functions/domain/classify/stages/ticket-type.js';
import { chooseClue, chooseClueFromModel, readClueCues } from '../functions/domain/classify/stages/clue.js';
import { chooseUrgency } from '../functions/domain/classify/stages/urgency.js';
import { hasMatter } from '../functions/domain/classify/stages/matter.js';
import { predictAll } from '../functions/domain/classify/model/router-model.js';
import { Classifier } from '../functions/domain/classify/classifier.js';
import { Router } from '../functions/domain/route/router.js';
import { layout, readable } from '../functions/domain/classify/text.js';
import { fixtureTickets } from '../test/domain/classify/support.js';
const k = compileKnowledge(lexicon, routing);
const ts = fixtureTickets().map((x) => x.t);
const m = routerModel!;
const cls = new Classifier(lexicon, routing, m);
const lex = new Classifier(lexicon, routing);
let sink = 0;
const time = (name: string, f: (i: number) => unknown) => {
  for (let j = 0; j < 5000; j++) f(j % ts.length);
  const n = 30000;
  const t0 = process.cpuUsage();
  for (let j = 0; j < n; j++) if (f(j % ts.length)) sink++;
  const u = process.cpuUsage(t0);
  console.log(name.padEnd(22), ((u.user + u.system) / n).toFixed(2), 'µs');
};
const tt = ts.map((t) => readTicket(t, k));
const ctx = tt.map((x) => readContext(x, k));
const tallies = () =>
  ts.map((_, i) => {
    const ta = newTally(k);
    scoreDomainTerms(tt[i]!, ctx[i]!, k, ta);
    return ta;
  });
const inputs = ts.map((t) => lex.routerInput(t));
time('readable(content)', (i) => readable(ts[i]!.ticket.content));
time('layout', (i) => layout(tt[i]!.text));
time('matcher.search', (i) => k.matcher.search(tt[i]!.text));
time('readTicket', (i) => readTicket(ts[i]!, k));
time('readContext', (i) => readContext(tt[i]!, k));
time('newTally', () => newTally(k));
time('scoreDomainTerms', (i) => {
  const ta = newTally(k);
  scoreDomainTerms(tt[i]!, ctx[i]!, k, ta);
  return ta;
});
const tl = tallies();
time('readTermFeatures', (i) => {
  const ta = newTally(k);
  return readTermFeatures(tt[i]!, ctx[i]!, k, ta);
});
time('scorePatterns', (i) => {
  const ta = newTally(k);
  scorePatterns(tt[i]!, ctx[i]!, k, ta);
  return ta;
});
const feats = ts.map((_, i) => readTermFeatures(tt[i]!, ctx[i]!, k, newTally(k)));
time('applyGroupRules', (i) => applyGroupRules(feats[i]!, k, newTally(k)));
time('applyHints', (i) => applyHints(ts[i]!, k, newTally(k)));
time('chooseDomain', (i) => chooseDomain(tl[i]!, ctx[i]!, k));
const choices = ts.map((_, i) => chooseDomain(tl[i]!, ctx[i]!, k));
time('chooseTicketType', (i) => chooseTicketType(ts[i]!, feats[i]!.typeScores, k));
const types = ts.map((t, i) => chooseTicketType(t, feats[i]!.typeScores, k));
time('readClueCues', (i) => readClueCues(ts[i]!, types[i]!, k, tl[i]!));
const cues = ts.map((t, i) => readClueCues(t, types[i]!, k, tl[i]!));
time('chooseClue', (i) => chooseClue(ts[i]!, choices[i]!.top, choices[i]!.domain, types[i]!, k, cues[i]!));
time('chooseUrgency', (i) => chooseUrgency(ts[i]!, feats[i]!, k));
time('hasMatter', (i) => hasMatter(tt[i]!.text, k));
time('routerInput (all lex)', (i) => lex.routerInput(ts[i]!));
time('predictAll', (i) => predictAll(m, inputs[i]!));
const ps = inputs.map((x) => predictAll(m, x));
time('chooseFromModel', (i) => chooseFromModel(ps[i]!.domain, choices[i]!, tl[i]!, k));
const rules = ts.map((t, i) => chooseClue(t, choices[i]!.top, choices[i]!.domain, types[i]!, k, cues[i]!));
time('chooseClueFromModel', (i) => chooseClueFromModel(ps[i]!.clue!, m.clue!, rules[i]!, ts[i]!, choices[i]!.top, choices[i]!.domain, types[i]!, k));
time('classify (model)', (i) => cls.classify(ts[i]!));
const router = new Router(routing, directory);
const cs = ts.map((t) => cls.classify(t));
time('route', (i) => router.route(ts[i]!, cs[i]!));
if (sink === 0) throw new Error('no stage returned anything');
console.log(`fixture tickets: ${ts.length}, mean text length ${(tt.reduce((a, x) => a + x.text.length, 0) / tt.length).toFixed(1)}`);
