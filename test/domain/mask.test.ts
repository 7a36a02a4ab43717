import { describe, expect, it } from 'vitest';
import { holdsPersonalNumber, maskContact, maskFreeText, maskIdNumber, maskName, maskPhone } from '../../functions/domain/privacy/mask.js';

describe('personal data masking', () => {
  it('masks phone numbers, names and ID numbers in the product forms', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('0473-3123456')).toBe('0473-****3456');
    expect(maskPhone('+86 138-1234-1234')).toBe('138****1234');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskIdNumber('15030219900101123X')).toBe('150302********123X');
  });

  it('masks phone- and ID-like strings inside free text and leaves other numbers alone', () => {
    const text = '老板电话13848731165打不通，身份证号150302199001011234，座机0473-3123456，卡里还有3680元，工单WH-20260102-000015';
    const masked = maskFreeText(text);
    expect(masked).not.toContain('13848731165');
    expect(masked).not.toContain('199001011234');
    expect(masked).not.toContain('3123456');
    expect(masked).toContain('138****1165');
    expect(masked).toContain('150302********1234');
    expect(masked).toContain('3680元');
    expect(masked).toContain('WH-20260102-000015');
  });

  it('masks a whole contact and keeps absent fields absent', () => {
    expect(maskContact({ name: '李四', phone: '13900001234' })).toEqual({ name: '李*', phone: '139****1234' });
    expect(maskContact(undefined)).toBeUndefined();
  });

  it('masks phone and ID numbers in the other forms people write them, and leaves other numbers alone', () => {
    const cases: [string, string][] = [
      ['电话１３６００１３６００４', '136****6004'], // full-width
      ['手机136.0013.6004', '136****6004'], // dots
      ['电话 136 0013 6004 谢谢', '136****6004'], // spaces
      ['138-1234-1234', '138****1234'],
      ['+86 13600136004', '136****6004'],
      ['身份证1101 0519 9001 0112 34', '110105********1234'], // groups of four
      ['ID110105199001011234', '110105********1234'], // glued to a prefix
      ['身份证号１５０３０２１９９００１０１１２３Ｘ', '150302********123X'], // full-width with X
      ['电话幺三八一二三四五六七八', '138****5678'], // read out in Chinese digits
      ['座机0473 3123456', '0473-****3456'],
    ];
    for (const [text, masked] of cases) {
      const out = maskFreeText(text);
      expect(out, text).toContain(masked);
      // No form of the raw number survives: read full-width and Chinese digits as digits, drop separators; no run of
      // seven digits may be left (a masked number keeps at most six, then stars).
      const digitsOf = (t: string) =>
        [...t.normalize('NFKC')]
          .map((c) => ({ 幺: '1', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9', 〇: '0' })[c] ?? c)
          .join('')
          .replace(/[\s.\-+]/g, '');
      expect(digitsOf(text), text).toMatch(/\d{7}/);
      expect(digitsOf(out), text).not.toMatch(/\d{7}/);
    }
    const keep = '欠薪三个月，二十多个人，合同编号2026-0102-000015，日期2026.10.01，金额3680.50元，1号楼2单元';
    expect(maskFreeText(keep)).toBe(keep);
    expect(holdsPersonalNumber('鑫达建筑13600136004')).toBe(true);
    expect(holdsPersonalNumber('鑫达建筑公司')).toBe(false);
  });

  it('masks in linear time: the longest adversarial inputs finish at once', () => {
    for (const unit of ['1 ', '1-', '１', '一', '1.', '12X']) {
      const text = unit.repeat(Math.ceil(4000 / unit.length));
      const t0 = performance.now();
      maskFreeText(text);
      // Not a timing assertion on a fast path: a quadratic or exponential pattern takes seconds to minutes here.
      expect(performance.now() - t0).toBeLessThan(2_000);
    }
  });
});
