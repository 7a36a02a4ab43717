import { describe, expect, it } from 'vitest';
import lexiconJson from '../../../config/lexicon.json' with { type: 'json' };
import { classifyAndRoute } from '../../../functions/config/classify.js';
import { lexicon } from '../../../functions/config/lexicon.js';
import { routing } from '../../../functions/config/routing.js';
import { compileKnowledge } from '../../../functions/domain/classify/knowledge.js';
import { buildLexicon } from '../../../functions/domain/classify/lexicon.js';
import { loadLexicon } from '../../../functions/domain/classify/lexicon-schema.js';
import { hasMatter } from '../../../functions/domain/classify/stages/matter.js';
import { normalise } from '../../../functions/domain/classify/text.js';
import { fixtureTickets, kindOf, t12309, t12345 } from './support.js';

/** The deployed classifier, learned router included: a ticket with no matter of its own goes to the dispatch center. */
describe('a ticket with no matter of its own (无实质诉求)', () => {
  it.each([['同上'], ['同上。'], ['你好'], ['喂喂喂，听得到吗？谢谢。'], ['您好，请问……嗯，没事了，再见'], ['ＨＥＬＬＯ，在吗']])(
    '%s goes to review, and says why',
    (content) => {
      const d = classifyAndRoute(t12345(content));
      expect(d.needsReview).toBe(true);
      expect(kindOf(d.agencyId)).toBe('dispatch-center');
      expect(d.evidence).toContain('review:no-matter');
    },
  );

  it('a 12309 ticket whose content and demand are both fillers goes to review too', () => {
    const d = classifyAndRoute(t12309('同上', 'appeal', { demand: '谢谢' }));
    expect(d.needsReview).toBe(true);
    expect(d.evidence).toContain('review:no-matter');
  });

  it.each([['停水了'], ['喂，你好，路灯不亮。'], ['同上，小区门口的垃圾三天没人清运了'], ['如题']])(
    '%s keeps its matter (a short matter is still one; what a filler leaves behind counts)',
    (content) => {
      const d = classifyAndRoute(t12345(content, content === '如题' ? { title: '小区电梯停运' } : {}));
      expect(d.evidence).not.toContain('review:no-matter');
    },
  );

  it('no fixture ticket is read as having no matter', () => {
    const flagged = fixtureTickets().filter(({ t }) => classifyAndRoute(t).evidence.includes('review:no-matter'));
    expect(flagged.map(({ t }) => JSON.stringify(t.ticket).slice(0, 80))).toEqual([]);
  });

  it('is read from the lexicon: without `noMatter` every ticket has a matter', () => {
    const { noMatter: _dropped, ...rest } = lexiconJson as Record<string, unknown>;
    const k = compileKnowledge(buildLexicon(rest as never), routing);
    expect(hasMatter(normalise('同上\n'), k)).toBe(true);
    const deployed = compileKnowledge(lexicon, routing);
    expect(hasMatter(normalise('同上\n'), deployed)).toBe(false);
    expect(hasMatter(normalise('喂，停水\n'), deployed)).toBe(true);
  });

  it('validation names a bad `noMatter`', () => {
    const bad = { ...(lexiconJson as Record<string, unknown>), noMatter: { fillers: [], minChars: 0 } };
    expect(() => loadLexicon(bad)).toThrow(/noMatter\.fillers[\s\S]*noMatter\.minChars|noMatter\.minChars[\s\S]*noMatter\.fillers/);
  });
});
