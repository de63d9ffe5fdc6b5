// Search in a real browser: typing updates the results and the URL; the form works
// without JavaScript.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityViolations, launchChromium, startServer, waitForSearchIndex } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchChromium();
  // The search needs the index the worker builds after the demo seed.
  await waitForSearchIndex(server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('typing updates the results and the URL', async () => {
  const page = await browser.newPage();
  // The CSP allows no inline script but Leptos' own (by nonce): record any violation.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto(`${server.base}/recherche`);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9_-]+'/);
  assert.doesNotMatch(csp.split(';').find((d) => d.includes('script-src')), /unsafe-inline/);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await page.locator('#search-q').pressSequentially('libre ofice', { delay: 40 });
  await page.waitForURL(/\/recherche\?q=libre\+ofice/);
  await page.locator('li.result .matched-tools a', { hasText: 'LibreOffice' }).first().waitFor();
  const count = await page.locator('[data-testid="result-count"]').innerText();
  assert.match(count, /collectivité/);
  // A facet narrows the results and is kept in the URL.
  await page.selectOption('#facet-kind', 'commune');
  await page.waitForURL(/kind=commune/);
  await page.waitForFunction(() => {
    const metas = [...document.querySelectorAll('li.result > p.meta')].map((p) => p.textContent);
    return metas.length > 0 && metas.every((m) => m.startsWith('Commune'));
  }, null, { timeout: 10_000 });
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await page.close();
});

test('the home box suggests software and leads to who runs it', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await page.locator('#finder-q').pressSequentially('nextc', { delay: 40 });
  const suggestion = page.locator('[data-testid="software-suggestions"] a', { hasText: 'Qui utilise Nextcloud ?' });
  await suggestion.waitFor({ timeout: 10_000 });
  await suggestion.click();
  await page.waitForURL(/\/recherche\?q=Nextcloud/);
  await page.locator('li.result .matched-tools a', { hasText: 'Nextcloud' }).first().waitFor();
  await page.close();
});

test('the search form works without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  await page.fill('#finder-q', 'nexcloud');
  await page.press('#finder-q', 'Enter');
  await page.waitForURL(/\/recherche\?q=nexcloud/);
  await page.locator('li.result .matched-tools a', { hasText: 'Nextcloud' }).first().waitFor();
  await context.close();
});

test('no serious accessibility violation on /recherche?q=libreoffice', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/recherche?q=libreoffice`);
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.close();
});
