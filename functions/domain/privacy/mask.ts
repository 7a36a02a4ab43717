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

/**
 * Personal numbers inside free text, in the forms people write them: ASCII or full-width digits (１３６…), Chinese
 * digits read out one by one (幺三八…), with separators between digit groups (`136.0013.6004`, `1101 0519 …`,
 * `138-1234-1234`), with a country prefix (`+86`), or glued to letters (`ID1101…`). A number is a run of digit
 * groups joined by single separators; consecutive groups whose digits together form a resident ID (18, or 15
 * legacy), a mobile number (11, optionally after 86) or a landline (0 + 9–11 digits) are replaced by the masked form.
 * Digit groups that are longer than such a number (an order number, a date glued to a serial) are left alone.
 * Every pattern here is linear in its input: no nested or overlapping quantifiers.
 */
const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19\uFF38\uFF58]/g;
const CHINESE_DIGIT: Record<string, string> = {
  〇: '0',
  零: '0',
  一: '1',
  幺: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};
/** Seven or more Chinese digits in a row (separators allowed) are a number read out, not prose (三个月, 二十多). */
const CHINESE_DIGIT_RUN = /[〇零一幺二两三四五六七八九](?:[ \-.·．－]?[〇零一幺二两三四五六七八九]){6,}/g;
/** Digit groups joined by one separator each; the last group of an ID may end in X. */
const DIGIT_RUN = /\d+(?:[ \u3000\-.·．－_/]\d+)*[Xx]?/g;

function toAsciiDigits(text: string): string {
  return text
    .replace(FULL_WIDTH_DIGIT, (c) => (c === '\uFF38' ? 'X' : c === '\uFF58' ? 'x' : String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48)))
    .replace(CHINESE_DIGIT_RUN, (run) => [...run].map((c) => CHINESE_DIGIT[c] ?? c).join(''));
}

type Found = { from: number; to: number; masked: string };
type Group = { from: number; to: number; digits: string /** the separator before the group ('' for the first) */; before: string };

/** The personal number that groups make together, masked; undefined if they make none. */
function classify(groups: readonly Group[]): string | undefined {
  const digits = groups.map((g) => g.digits).join('');
  if (/^\d{17}[0-9Xx]$/.test(digits) || /^\d{15}$/.test(digits)) return maskIdNumber(digits);
  const mobile = digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
  if (/^1[3-9]\d{9}$/.test(mobile)) return `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
  // A landline is written whole or as area code (0 + 2–3 digits) and local number.
  if (/^0\d{9,11}$/.test(digits) && (groups.length === 1 || /^0\d{2,3}$/.test(groups[0]!.digits))) {
    const area = /^0(10|2\d)/.test(digits) ? digits.slice(0, 3) : digits.slice(0, 4);
    return `${area}-****${digits.slice(-4)}`;
  }
  return undefined;
}

/**
 * Finds the personal numbers among the digit groups of one run, longest first from each group. Groups joined by a
 * hyphen, dot or slash are one token: a number may not start or end inside one (`2026-0102-000015` is an order
 * number, not a landline); a space may separate two numbers (`86 136…`, `2026.10.01 136…`).
 */
function findInRun(run: string, offset: number): Found[] {
  const groups: Group[] = [];
  for (const m of run.matchAll(/\d+[Xx]?/g)) {
    const prev = groups.at(-1);
    groups.push({ from: offset + m.index!, to: offset + m.index! + m[0].length, digits: m[0], before: prev ? run.slice(prev.to - offset, m.index!) : '' });
  }
  const opensHere = (i: number) => i === 0 || /^[\s\u3000]$/.test(groups[i]!.before);
  const out: Found[] = [];
  for (let i = 0; i < groups.length; ) {
    let best: { j: number; masked: string } | undefined;
    let length = 0;
    for (let j = i; opensHere(i) && j < groups.length && length < 18; j++) {
      length += groups[j]!.digits.length;
      if (j > i && /[Xx]$/.test(groups[j - 1]!.digits)) break; // an X only ends an ID
      const closesHere = j === groups.length - 1 || opensHere(j + 1);
      const masked = closesHere ? classify(groups.slice(i, j + 1)) : undefined;
      if (masked) best = { j, masked };
    }
    if (best) {
      out.push({ from: groups[i]!.from, to: groups[best.j]!.to, masked: best.masked });
      i = best.j + 1;
    } else i++;
  }
  return out;
}

/** Masks ID-number-like and phone-like strings inside free text, in any of the written forms above. */
export function maskFreeText(text: string): string {
  const ascii = toAsciiDigits(text);
  if (ascii.length !== text.length) throw new Error('digit normalisation must keep positions'); // each mapping is 1:1
  const found: Found[] = [];
  for (const m of ascii.matchAll(DIGIT_RUN)) found.push(...findInRun(m[0], m.index!));
  if (!found.length) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.from) + f.masked;
    at = f.to;
  }
  return out + text.slice(at);
}

/** True when the text holds something `maskFreeText` would mask: such a text must never become a key or an id. */
export function holdsPersonalNumber(text: string): boolean {
  return maskFreeText(text) !== text;
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
