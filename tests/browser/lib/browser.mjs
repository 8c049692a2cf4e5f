// Launches Debian's chromium headless through playwright-core (no browser
// download), with the flags this closed network needs.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.GZ_CHROMIUM || '/usr/bin/chromium';

// playwright gives every launch a fresh, empty profile of its own.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

// A phone-sized page (390x844, touch), as most residents use.
export async function phonePage(browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
                                             locale: 'zh-CN' });
  return context.newPage();
}

export async function signIn(page, base, login, password = 'demo2026') {
  await page.goto(base + '/login');
  await page.fill('#f-login', login);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
}
