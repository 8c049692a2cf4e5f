// 问需 in a real browser on a phone: a resident sees similar needs while
// writing and after the check step, supports one, and submits a need with a
// photo; staff merge two duplicates and consolidate them into a draft matter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlValue } from '../lib/server.mjs';
import { launch, phonePage, signIn } from './lib/browser.mjs';

let server, chrome;
before(async () => {
  server = await startServer();
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
  await server?.stop();
});

const num = (sql) => Number(sqlValue(server.db, sql));
const C1 = () => num("SELECT id FROM org_unit WHERE name = '望湖东里社区' AND kind = 'community'");
// A 1x1 PNG the browser can show.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function noSideScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${new URL(page.url()).pathname} is ${width}px wide on a 390px phone`);
}

async function fillNeed(page) {
  await page.fill('#f-title', '电梯经常坏');
  await page.fill('#f-body', '我们楼的电梯这个月坏了好几次，还关过人，希望物业彻底检修。');
  await page.selectOption('#f-category', '物业管理');
  await page.selectOption('#f-place', String(C1()));
}

test('a resident on a phone sees similar needs, supports one, and submits a need with a photo', async () => {
  const page = await phonePage(chrome.browser);
  await signIn(page, server.base, 'resident1');
  await page.goto(server.base + '/needs/new');
  await noSideScroll(page);
  await fillNeed(page);
  // the script lists similar needs while the resident types
  await page.locator('#similar-live li').first().waitFor({ timeout: 10000 });
  assert.ok(await page.locator('#similar-live').isVisible());

  // the no-script path: the check step
  await Promise.all([page.waitForNavigation(), page.click('#need-form button[type=submit]')]);
  assert.match(await page.locator('h1').innerText(), /提交前看一看/);
  const similar = page.locator('.similar-list li');
  assert.ok(await similar.count() >= 1);
  await noSideScroll(page);
  const action = await page.locator('.similar-list form').first().getAttribute('action');
  const supported = Number(/\/needs\/(\d+)\/support/.exec(action)[1]);
  const before = num(`SELECT COUNT(*) FROM need_support WHERE need_id = ${supported}`);
  await Promise.all([page.waitForNavigation(), page.locator('.similar-list form button').first().click()]);
  assert.equal(new URL(page.url()).pathname, `/needs/${supported}`);
  assert.equal(num(`SELECT COUNT(*) FROM need_support WHERE need_id = ${supported}`), before + 1);
  assert.match(await page.locator('.support').innerText(), new RegExp(`附议 ${before + 1} 人`));
  assert.ok(await page.locator('.support button', { hasText: '撤回附议' }).isVisible());

  // and raises their own, with a photo
  await page.goto(server.base + '/needs/new');
  await fillNeed(page);
  await page.fill('#f-title', '3号楼电梯门关不严');
  await Promise.all([page.waitForNavigation(), page.click('#need-form button[type=submit]')]);
  await page.setInputFiles('#f-photo', { name: 'lift.png', mimeType: 'image/png', buffer: PNG });
  const needs = num('SELECT COUNT(*) FROM need');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/needs"] button[type=submit]')]);
  assert.match(new URL(page.url()).pathname, /^\/needs\/\d+$/);
  assert.match(await page.locator('.notice.ok').innerText(), /已收到您的意见建议/);
  assert.equal(num('SELECT COUNT(*) FROM need'), needs + 1);
  const img = page.locator('.photos img').first();
  await img.waitFor();
  assert.equal(await img.evaluate((el) => el.complete && el.naturalWidth), 1, 'the photo is served and shown');
  await noSideScroll(page);
  await page.screenshot({ path: 'build-test/browser-need.png' });
});

test('staff merge two duplicates and consolidate them into a draft matter', async () => {
  const page = await phonePage(chrome.browser);
  await signIn(page, server.base, 'staff1');
  await page.goto(`${server.base}/needs/duplicates?community=${C1()}`);
  const form = page.locator('form.cluster').filter({ has: page.locator('input[name=merge]:checked') }).first();
  const primary = Number(await form.locator('input[name=primary]:checked').getAttribute('value'));
  const boxes = form.locator('input[name=merge]:checked');
  const merged = Number(await boxes.first().getAttribute('value'));
  // merge exactly two: the primary and one duplicate
  for (let i = await boxes.count() - 1; i >= 1; i--) await boxes.nth(i).uncheck();
  await form.locator('input[name=confirm]').check();
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  assert.equal(new URL(page.url()).pathname, `/needs/${primary}`);
  assert.match(await page.locator('.notice.ok').first().innerText(), /已合并/);
  assert.equal(sqlValue(server.db, `SELECT status || ':' || merged_into FROM need WHERE id = ${merged}`), `merged:${primary}`);

  await Promise.all([page.waitForNavigation(), page.click('.staff-tools a[href^="/drafts/new"]')]);
  await page.fill('#f-title', '电梯安全专项检修');
  await page.fill('#f-cost', '80000');
  await page.fill('#f-responsible', '物业公司');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/drafts"] button[type=submit]')]);
  assert.match(new URL(page.url()).pathname, /^\/drafts\/\d+$/);
  assert.match(await page.locator('.notice.ok').innerText(), /拟办实事意向已创建/);
  const draft = Number(/\/drafts\/(\d+)/.exec(page.url())[1]);
  assert.equal(sqlValue(server.db, `SELECT status || ':' || draft_id FROM need WHERE id = ${primary}`), `consolidated:${draft}`);
  // the merged duplicate shares the draft's fate through its primary
  assert.equal(num(`SELECT COUNT(*) FROM need n JOIN need p ON p.id = n.merged_into WHERE n.id = ${merged} AND p.draft_id = ${draft}`), 1);
  assert.ok(await page.locator(`.need-list a[href="/needs/${primary}"]`).isVisible());
  await noSideScroll(page);
});
