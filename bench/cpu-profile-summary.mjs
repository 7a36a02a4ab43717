/**
 * Summarises V8 CPU profiles (node --cpu-prof --cpu-prof-dir=<dir> ...): the top functions by inclusive and by self
 * time, averaged over the profiles in <dir>. Used to find where local mode and cold starts spend CPU:
 *   node --cpu-prof --cpu-prof-dir=.local/prof --import tsx <script>; node bench/cpu-profile-summary.mjs .local/prof
 */
import fs from 'node:fs';
const dir = process.argv[2];
const incl = new Map(),
  self = new Map();
let n = 0;
for (const f of fs.readdirSync(dir)) {
  n++;
  const p = JSON.parse(fs.readFileSync(`${dir}/${f}`));
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const parent = new Map();
  for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  for (let i = 0; i < p.samples.length; i++) {
    const d = p.timeDeltas[i];
    const seen = new Set();
    let cur = byId.get(p.samples[i]);
    const sk = `${cur.callFrame.functionName || '(anon)'}:${cur.callFrame.lineNumber}`;
    self.set(sk, (self.get(sk) ?? 0) + d);
    while (cur) {
      const k = `${cur.callFrame.functionName || '(anon)'}:${cur.callFrame.lineNumber}`;
      if (!seen.has(k)) {
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + d);
      }
      cur = byId.get(parent.get(cur.id));
    }
  }
}
console.log('INCL');
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((v / 1000 / n).toFixed(1).padStart(7), k);
console.log('SELF');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log((v / 1000 / n).toFixed(1).padStart(7), k);
