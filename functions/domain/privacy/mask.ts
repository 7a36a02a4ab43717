/**
 * Masking of personal data (product.md §8, PIPL). Events, logs and metrics carry only these forms.
 */

/** Mobile `13812341234` → `138****1234`; landline `0473-3123456` → `0473-****3456`; else the last 4 digits. */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  if (/^1[3-9]\d{9}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.startsWith('0') && digits.length >= 10) {
    const area = /^0(10|2\d)/.test(digits) ? digits.slice(0, 3) : digits.slice(0, 4);
    return `${area}-****${digits.slice(-4)}`;
  }
  return digits.length >= 7 ? `****${digits.slice(-4)}` : '****';
}

/** `张三` → `张*`, `欧阳娜娜` → `欧***`; latin names keep their first letter. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 18-digit resident ID (or 15-digit legacy): keep region prefix 6 and last 4 → `150302********123X`. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length < 10) return '*'.repeat(s.length);
  return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}

// ID numbers first (they contain digit runs a phone pattern would also match).
const ID_IN_TEXT = /(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])/g;
const MOBILE_IN_TEXT = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g;
const LANDLINE_IN_TEXT = /(?<!\d)(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?!\d)/g;

/** Masks ID-number-like and phone-like strings inside free text. */
export function maskFreeText(text: string): string {
  return text
    .replace(ID_IN_TEXT, (m) => maskIdNumber(m))
    .replace(MOBILE_IN_TEXT, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(LANDLINE_IN_TEXT, (_m, area: string, _mid: string, last: string) => `${area}-****${last}`);
}

export interface Contact {
  name?: string | undefined;
  phone?: string | undefined;
  idNumber?: string | undefined;
}

export function maskContact(c: Contact | undefined): Contact | undefined {
  if (!c) return undefined;
  const out: Contact = {};
  if (c.name) out.name = maskName(c.name);
  if (c.phone) out.phone = maskPhone(c.phone);
  if (c.idNumber) out.idNumber = maskIdNumber(c.idNumber);
  return out;
}
