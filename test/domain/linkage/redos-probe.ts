/**
 * Child process of `group-key-redos.test.ts` (not a test itself): prints `ready` once loaded, then runs group-key
 * extraction on adversarial tickets of the maximum length — a wage-arrears complaint followed by one vocabulary word
 * repeated to the end — for every word of `config/group-keys.json`, and prints `done <count>`. The parent kills it
 * when that takes more than a few seconds: a pattern that backtracks exponentially never finishes.
 */
import vocabulary from '../../../config/group-keys.json' with { type: 'json' };
import { groupKeysOf } from '../../../functions/config/group-keys.js';
import { Ticket12345 } from '../../../functions/domain/ticket/schemas.js';

const maxContent = Ticket12345.shape.content.maxLength!;
const maxAddress = Ticket12345.shape.address.unwrap().maxLength!;
const v = vocabulary;
const words = [
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

const fill = (prefix: string, unit: string, length: number, end: string): string => {
  const s = prefix + unit.repeat(Math.ceil((length - prefix.length - end.length) / unit.length));
  return s.slice(0, length - end.length) + end;
};

process.stdout.write('ready\n');
let n = 0;
for (const w of new Set(words)) {
  // Ended by something no tail accepts, so that any backtracking pattern explores all its ways to split the run.
  for (const end of ['。', 'x']) {
    const content = fill('老板拖欠我们工资三个月了，', w, maxContent, end);
    const address = fill('乌海市', w, maxAddress, end);
    groupKeysOf({ content, address }, ['enterprise', 'place', 'address']);
    n++;
  }
}
process.stdout.write(`done ${n}\n`);
