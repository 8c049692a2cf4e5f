// A resident on a phone signs in and sees the home page with the year's stage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
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

test('a resident signs in on a phone and sees where the year stands', async () => {
  const page = await phonePage(chrome.browser);
  await page.goto(server.base + '/');
  assert.equal(await page.locator('header .street').innerText(), '望湖街道');
  await signIn(page, server.base, 'resident1');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.locator('.welcome').innerText(), /欢迎您/);
  assert.match(await page.locator('.stage-needs h3').innerText(), /问需/);
  // The four stages are in the navigation and fit the phone's width.
  const nav = page.locator('nav.stages > a');
  assert.ok(await nav.count() >= 4);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide on a 390px phone`);
  await page.screenshot({ path: 'build-test/browser-home.png' });
});

test('wrong password shows the error in place', async () => {
  const page = await phonePage(chrome.browser);
  await page.goto(server.base + '/login');
  await page.fill('#f-login', 'resident1');
  await page.fill('#f-password', 'wrong-password-1');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  assert.match(await page.locator('.notice.error').innerText(), /用户名或密码错误/);
});
