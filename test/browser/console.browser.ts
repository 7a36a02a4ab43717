/**
 * The web console (工作台) in a real browser, against local mode loaded with the demo day: a dispatcher routes the
 * flagged ticket, the agency it went to signs for it and replies (and is told in words when someone beat it to an
 * action), a procuratorate department accepts a clue and issues a recommendation; an agency returns a ticket with a
 * reason kind and a suggested agency and sees a repeat caller's ticket merged into its case, and the dispatcher
 * rejects one disputed return, upholds another and splits the merged ticket out (争议与合并); the linkage office reads
 * the rates with their samples and downloads the joint report as CSV and .xlsx. A screenshot of each view goes to
 * SHOTS.
 *
 * Chromium: CHROMIUM_PATH, else /usr/bin/chromium (Debian's package; .ci/run installs it).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvSecrets } from '../../functions/adapters/local/env-secrets.js';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import { directory } from '../../functions/config/directory.js';
import { caseIdFor } from '../../functions/domain/case/case-id.js';
import { postTickets } from '../../local/hotline-client.js';
import { runDemo, type DemoSummary } from '../../local/demo.js';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';
import { ticket12345, uniquePhone } from '../support/fixtures.js';

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

/** Sends one signed 12345 ticket, as the hotline would, and waits until it is processed; its case id. */
async function sendTicket(over: Record<string, unknown>): Promise<string> {
  const t = ticket12345(over);
  const r = await postTickets(rt.url, '12345', await new EnvSecrets(process.env).secretFor('12345'), t);
  expect(r.status).toBe(202);
  await rt.drained();
  return caseIdFor('12345', t['ticketId'] as string);
}

/** An action by the agency API, as a colleague on another screen would take it. */
async function act(caseId: string, action: string, role: string, agencyId: string, body: unknown = {}) {
  const token = await signDevToken({ role: role as 'agent', agencyId });
  const r = await fetch(`${rt.url}/v1/cases/${caseId}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(r.status, `${action}: ${await r.clone().text()}`).toBe(200);
  await rt.drained();
}

const CENTER = '150300:dispatch-center';
const MILK = { content: '小区门口的超市卖过期牛奶，买回家喝了拉肚子，要求查处。', hotlineCategory: '食品安全', regionCode: '150302' };
const SMOKE = '小区门口的餐馆油烟直排，家里窗户都不敢开，要求环保部门处理。';

let routedTo = '';
let routedTicket = '';
let routedCase = '';
let disputeUp = '';
let disputeDown = '';
let returner = '';
let mergedCase = '';
let mergedTicket = '';
let mergedOwner = '';

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
    // Every evidence code the router writes is shown in words, none as its code.
    expect(await card.locator('.evidence').textContent()).not.toMatch(/review:|clue-model:|lexicon-clue:|best-guess:/);
    routedTicket = (await card.locator('h3').textContent())!.split(' ')[0]!.trim();
    routedTo = await card.locator('select[name=agencyId]').inputValue();
    routedCase = (await card.getAttribute('data-case'))!;
    expect(routedTo, 'the best guess is preselected').not.toBe('');
    await page.screenshot({ path: join(SHOTS, 'dispatcher.png'), fullPage: true });
    // How many the router flagged depends on the configured model; the demo day guarantees at least this one.
    const flagged = await page.locator('section.triage').count();
    await card.getByRole('button', { name: '分拨' }).click();
    await expect.poll(() => page.locator('p.ok').textContent()).toContain(`已将 ${routedTicket} 分拨至 ${directory.get(routedTo)!.name}`);
    expect(await page.locator(`section.triage[data-case="${routedCase}"]`).count()).toBe(0);
    expect(await page.locator('section.triage').count()).toBe(flagged - 1);
    await page.getByRole('button', { name: '争议与合并' }).click();
    await page.getByTestId('review').waitFor();
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

  it('an agency returns a ticket (退单) with a reason kind and a suggested agency, and sees a repeat caller merged into its case', async () => {
    // Two disputes to decide: one returned here through the form, one by a colleague through the API.
    disputeUp = await sendTicket(MILK);
    disputeDown = await sendTicket(MILK);
    returner = (await rt.store.get(disputeUp))!.agencyId!;
    expect((await rt.store.get(disputeDown))!.agencyId).toBe(returner);
    await act(disputeDown, 'return', 'agent', returner, { reason: '来电人未留地址，无法核实', reasonKind: 'insufficient_information' });
    // A repeat caller: the second ticket from the same phone about the same matter joins the first case.
    const phone = uniquePhone();
    mergedCase = await sendTicket({ content: SMOKE, caller: { name: '周女士', phone } });
    mergedTicket = await sendTicket({ content: '又打一次：小区门口的餐馆油烟还是直排，窗户都不敢开，要求环保部门处理。', caller: { name: '周女士', phone } });
    expect((await rt.store.get(mergedTicket))?.status).toBe('merged');
    mergedOwner = (await rt.store.get(mergedCase))!.agencyId!;

    const page = await signIn(returner, 'agent');
    await page.locator(`tr[data-case-row="${disputeUp}"]`).click();
    const detail = page.locator(`section.detail[data-case="${disputeUp}"]`);
    await detail.getByRole('button', { name: '退单', exact: true }).click();
    const form = detail.locator('form[data-action=return]');
    // The suggested agency belongs to 属于其他单位职责 only.
    expect(await form.locator('select[name=suggestedAgencyId]').count()).toBe(0);
    await form.locator('select[name=reasonKind]').selectOption('other_agency');
    const suggest = form.locator('select[name=suggestedAgencyId]');
    expect(await suggest.locator(`option[value="${returner}"]`).count(), 'not the returning agency itself').toBe(0);
    await suggest.selectOption('150302:health');
    await form.locator('textarea[name=reason]').fill('过期食品致病，属于卫生健康部门职责');
    await page.screenshot({ path: join(SHOTS, 'agency-return.png'), fullPage: true });
    await form.getByRole('button', { name: '确认退单' }).click();
    await expect.poll(() => detail.locator('.status').textContent()).toBe('已退单');
    expect(await detail.textContent()).toContain(`属于其他单位职责，建议 ${directory.get('150302:health')!.name}`);
    await page.context().close();

    const owner = await signIn(mergedOwner, 'agent');
    await owner.locator(`tr[data-case-row="${mergedCase}"]`).click();
    const requests = owner.locator(`section.detail[data-case="${mergedCase}"]`).getByTestId('requests');
    await expect.poll(() => requests.textContent()).toContain('2 件');
    const sourceTicketId = (await rt.store.get(mergedTicket))!.sourceTicketId;
    expect(await requests.locator(`li[data-merged-ticket="${mergedTicket}"]`).textContent()).toContain(sourceTicketId);
    expect(await requests.textContent()).toContain('同一来电人');
    expect(await requests.textContent(), 'ids only: no phone').not.toContain(phone);
    await owner.screenshot({ path: join(SHOTS, 'agency-merged.png'), fullPage: true });
    await owner.context().close();
  });

  it('a dispatcher rejects one disputed return, upholds another to the suggested agency, and splits a merged ticket out (争议与合并)', async () => {
    const page = await signIn(CENTER, 'dispatcher');
    // Disputes are decided in their own view, not in the triage list.
    await page.locator('.toolbar').first().waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('退单异议待审核');
    expect(await page.locator(`section.triage[data-case="${disputeUp}"]`).count()).toBe(0);
    await page.getByRole('button', { name: '争议与合并' }).click();
    const up = page.locator(`section.dispute[data-case="${disputeUp}"]`);
    const down = page.locator(`section.dispute[data-case="${disputeDown}"]`);
    await up.waitFor();
    expect(await up.getByTestId('from-agency').textContent()).toBe(directory.get(returner)!.name);
    expect(await up.getByTestId('reason-kind').textContent()).toBe('属于其他单位职责');
    expect(await up.getByTestId('suggested').textContent()).toBe(directory.get('150302:health')!.name);
    expect(await up.locator('.due').textContent()).toMatch(/剩余|超期/);
    expect(await up.locator('select[name=agencyId]').inputValue(), 'the suggested agency is preselected').toBe('150302:health');
    expect(await down.getByTestId('reason-kind').textContent()).toBe('信息不全，无法办理');
    expect(await down.getByTestId('suggested').textContent()).toBe('未建议');
    const row = page.locator(`tr[data-merged="${mergedTicket}"]`);
    expect(await row.getByTestId('merged-into').textContent()).toBe(mergedCase);
    expect(await row.getByTestId('match').textContent()).toBe('同一来电人');
    await page.screenshot({ path: join(SHOTS, 'dispatcher-review.png'), fullPage: true });

    // Reject needs a reason; then the case goes back to the agency that returned it.
    const reject = down.getByRole('button', { name: '异议不成立（退回原单位）' });
    expect(await reject.isDisabled()).toBe(true);
    await down.locator('input[name=reason]').fill('来电人信息完整，请继续办理');
    await reject.click();
    await expect.poll(() => page.locator('p.ok').textContent()).toContain(`异议不成立，已退回 ${directory.get(returner)!.name}`);
    expect(await rt.store.get(disputeDown)).toMatchObject({ status: 'dispatched', agencyId: returner });

    await up.getByRole('button', { name: '异议成立（改派）' }).click();
    await expect.poll(() => page.locator('p.ok').textContent()).toContain(`异议成立，已改派至 ${directory.get('150302:health')!.name}`);
    expect(await rt.store.get(disputeUp)).toMatchObject({ status: 'dispatched', agencyId: '150302:health' });
    expect(await page.locator('section.dispute').count()).toBe(0);

    await row.getByRole('button', { name: '拆分（取消合并）' }).click();
    await expect.poll(() => page.locator('p.ok').textContent()).toContain('已拆分');
    expect(await row.count()).toBe(0);
    const split = (await rt.store.get(mergedTicket))!;
    expect(split).toMatchObject({ status: 'dispatched', agencyId: mergedOwner });
    expect(split.mergedInto).toBeUndefined();
    await page.context().close();
  });

  it('the linkage office reads the joint report and the rates with their samples as tables and charts, and downloads it as CSV and .xlsx', async () => {
    const page = await signIn('150300:dispatch-center', 'operator');
    await page.getByTestId('table-agency').waitFor();
    expect(await page.getByTestId('table-domain').textContent()).toContain('劳动与欠薪');
    expect(await page.getByTestId('chart-month').locator('rect').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'report.png'), fullPage: true });

    // The rates with their samples: the two disputes decided above are too few to show a rate.
    const kpis = page.getByTestId('table-kpis');
    await kpis.waitFor();
    expect(await kpis.locator('tr[data-kpi]').count()).toBe(8);
    expect(await kpis.locator('tr[data-kpi=disputeUpholdRate]').textContent()).toBe('异议成立率样本不足 （样本 2）');
    expect(await kpis.locator('tr[data-kpi=firstDispatchAccuracy]').textContent()).toMatch(/^一次派准率(\d+(\.\d)?%|样本不足) （样本 \d+）$/);
    expect(await page.getByTestId('table-row-kpis').textContent()).toContain('合计');
    await page.getByTestId('kpis').screenshot({ path: join(SHOTS, 'report-rates.png') });

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
