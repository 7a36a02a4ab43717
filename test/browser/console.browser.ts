/**
 * The web console (工作台) in a real browser, against local mode loaded with the demo day: a dispatcher routes the
 * flagged ticket, the agency it went to signs for it and replies (and is told in words when someone beat it to an
 * action), a procuratorate department accepts a clue and issues a recommendation, and the linkage office downloads
 * the joint report as CSV and .xlsx. A screenshot of each view goes to SHOTS.
 *
 * Chromium: CHROMIUM_PATH, else /usr/bin/chromium (Debian's package; .ci/run installs it).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import { directory } from '../../functions/config/directory.js';
import { runDemo, type DemoSummary } from '../../local/demo.js';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';

/** Where the screenshots go: `.local/screenshots` (not committed), or SCREENSHOT_DIR (docs/screenshots to refresh the committed ones). */
const SHOTS = resolve(process.env.SCREENSHOT_DIR ?? join(import.meta.dirname, '..', '..', '.local', 'screenshots'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let rt: LocalRuntime;
let browser: Browser;
let demo: DemoSummary;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  if (!existsSync(join(import.meta.dirname, '..', '..', 'web', 'dist', 'index.html'))) throw new Error('the console is not built: npm run build:web');
  mkdirSync(SHOTS, { recursive: true });
  rt = await startLocal({ port: 0, env: process.env });
  demo = await runDemo(rt, { log: () => {} });
  await rt.drained();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** A fresh browser session signed in through the development login page. */
async function signIn(agencyId: string, role: string, shot?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(rt.url);
  await page.getByRole('heading', { name: '开发登录（仅本地模式）' }).waitFor();
  await page.locator('select[name=agency]').selectOption(agencyId);
  await page.locator('select[name=role]').selectOption(role);
  if (shot) await page.screenshot({ path: join(SHOTS, shot) });
  await page.getByRole('button', { name: '登录' }).click();
  await expect.poll(() => page.getByTestId('who').textContent()).toContain(directory.get(agencyId)!.name);
  return page;
}

let routedTo = '';
let routedTicket = '';
let routedCase = '';

describe('the web console', () => {
  it('serves the built console at / and its local config', async () => {
    const html = await (await fetch(`${rt.url}/`)).text();
    expect(html).toContain('<div id="app">');
    expect(await (await fetch(`${rt.url}/config.json`)).json()).toMatchObject({ auth: { mode: 'dev' } });
  });

  it('a dispatcher routes a flagged ticket in one step, seeing the router evidence and best guess', async () => {
    const page = await signIn('150300:dispatch-center', 'dispatcher', 'login.png');
    const card = page.locator('section.triage').first();
    await card.waitFor();
    await expect.poll(() => card.locator('.evidence').textContent()).toContain('最可能由');
    routedTicket = (await card.locator('h3').textContent())!.split(' ')[0]!.trim();
    routedTo = await card.locator('select[name=agencyId]').inputValue();
    routedCase = (await card.getAttribute('data-case'))!;
    expect(routedTo, 'the best guess is preselected').not.toBe('');
    await page.screenshot({ path: join(SHOTS, 'dispatcher.png'), fullPage: true });
    await card.getByRole('button', { name: '分拨' }).click();
    await expect.poll(() => page.locator('p.ok').textContent()).toContain(`已将 ${routedTicket} 分拨至 ${directory.get(routedTo)!.name}`);
    expect(await page.locator('section.triage').count()).toBe(0);
    await page.getByRole('button', { name: '争议与合并' }).click();
    await page.getByTestId('pending-review').waitFor();
    await page.context().close();
  });

  it('the agency signs for it (签收) and replies (办结); the contact is shown to the owner', async () => {
    const page = await signIn(routedTo, 'agent');
    // The routed case is in 待签收 with its countdown; open it.
    const row = page.locator(`tr[data-case-row="${routedCase}"]`);
    expect(await row.locator('.due').textContent()).toMatch(/剩余|超期/);
    await row.click();
    const detail = page.locator(`section.detail[data-case="${routedCase}"]`);
    await expect.poll(() => detail.locator('h3').textContent()).toContain(routedTicket);
    // The owner sees the caller's phone number as given (everyone else a masked one).
    expect(await detail.getByTestId('contact').textContent()).toMatch(/1\d{10}/);
    await detail.getByRole('button', { name: '签收' }).click();
    await detail.getByRole('button', { name: '确认签收' }).click();
    await expect.poll(() => detail.locator('.status').textContent()).toBe('办理中');
    await detail.getByRole('button', { name: '办结' }).click();
    await detail.locator('textarea[name=result]').fill('已到现场核实并督促整改，已电话回复来电人。');
    await page.screenshot({ path: join(SHOTS, 'agency-case.png'), fullPage: true });
    await detail.getByRole('button', { name: '确认办结' }).click();
    await expect.poll(() => detail.locator('.status').textContent()).toBe('已办结');
    expect(await detail.locator('.reply').textContent()).toContain('已到现场核实');
    expect(await detail.locator('table.history').textContent()).toContain('办理中 → 已办结');
    await page.context().close();
  });

  it('tells the agency in words when someone else already acted (409), and what it may do now', async () => {
    const agency = '150303:hr-social-security';
    const page = await signIn(agency, 'agent');
    await page.locator('tr[data-case-row]').first().click();
    const detail = page.locator('section.detail[data-case]');
    await detail.getByRole('button', { name: '签收' }).waitFor();
    const caseId = (await detail.getAttribute('data-case'))!;
    // A colleague signs for it first, from another screen.
    const token = await signDevToken({ role: 'agent', agencyId: agency });
    expect((await fetch(`${rt.url}/v1/cases/${caseId}/accept`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await detail.getByRole('button', { name: '签收' }).click();
    await detail.getByRole('button', { name: '确认签收' }).click();
    const error = detail.locator('p.error');
    await expect.poll(() => error.textContent()).toContain('可能已有人处理过');
    expect(await error.textContent()).toContain('现在可以：退单、申请延期、办结');
    await page.screenshot({ path: join(SHOTS, 'agency-conflict.png'), fullPage: true });
    await page.context().close();
  });

  it('a procuratorate department accepts a clue (受理线索), sees the cluster, and issues a recommendation', async () => {
    const department = '150300:procuratorate.civil';
    const clueId = demo.clueCaseIds.find((id) => id.startsWith('clue-') && demo.clusters.some((c) => c.clueCaseId === id)) ?? demo.clueCaseIds[0]!;
    const page = await signIn(department, 'agent');
    await page.locator(`tr[data-case-row="${clueId}"]`).click();
    const detail = page.locator(`section.detail[data-case="${clueId}"]`);
    await detail.getByRole('button', { name: '受理线索' }).click();
    await detail.getByRole('button', { name: '确认受理线索' }).click();
    await expect.poll(() => detail.locator('.status').textContent()).toBe('办理中');
    await page.screenshot({ path: join(SHOTS, 'department-clue.png'), fullPage: true });

    await page.getByRole('button', { name: '类案' }).click();
    const cluster = page.locator('details.cluster').first();
    await cluster.locator('summary').click();
    await expect.poll(() => cluster.textContent()).toContain(clueId);
    await page.screenshot({ path: join(SHOTS, 'department-clusters.png'), fullPage: true });

    await page.getByRole('button', { name: '检察建议' }).click();
    await page.locator('select[name=agencyId]').selectOption('150303:hr-social-security');
    await page.locator('input[name=subject]').fill(clueId);
    await page.locator('textarea[name=content]').fill('建议依法督促用人单位支付拖欠的农民工工资，并对工资保证金制度落实情况开展排查。');
    await page.getByRole('button', { name: '发出' }).click();
    await expect.poll(() => page.locator('p.ok').textContent()).toContain('已向');
    expect(await page.locator('tr[data-recommendation]').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'department-recommendation.png'), fullPage: true });
    await page.context().close();
  });

  it('the linkage office reads the joint report as tables and charts and downloads it as CSV and .xlsx', async () => {
    const page = await signIn('150300:dispatch-center', 'operator');
    await page.getByTestId('table-agency').waitFor();
    expect(await page.getByTestId('table-domain').textContent()).toContain('劳动与欠薪');
    expect(await page.getByTestId('chart-month').locator('rect').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'report.png'), fullPage: true });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe(`joint-report-${demo.month}.csv`);
    const csvText = readFileSync((await csv.path())!, 'utf8');
    expect(csvText.charCodeAt(0)).toBe(0xfeff);
    expect(csvText).toContain('受理');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 Excel' }).click()]);
    expect(xlsx.suggestedFilename()).toBe(`joint-report-${demo.month}.xlsx`);
    const bytes = readFileSync((await xlsx.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // an .xlsx is a zip
    await page.context().close();
  });
});
