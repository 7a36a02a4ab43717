import { describe, expect, it } from 'vitest';
import { maskContact, maskFreeText, maskIdNumber, maskName, maskPhone } from '../../functions/domain/privacy/mask.js';

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
});
