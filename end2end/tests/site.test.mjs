// The site in a real browser: hydration, pages without JavaScript, accessibility.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityViolations, launchChromium, startServer } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('home page loads, hydrates and suggests authorities while typing', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${server.base}/`);
  assert.match(await page.locator('h1').innerText(), /collectivités/);
  // Suggestions exist only once the wasm bundle has hydrated the page.
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await page.locator('#finder-q').pressSequentially('istr', { delay: 30 });
  const suggestion = page.locator('[data-testid="suggestions"] a', { hasText: 'Istres' });
  await suggestion.waitFor({ timeout: 10_000 });
  await suggestion.click();
  await page.waitForURL(/\/collectivites\/com-13047$/);
  await page.locator('h1', { hasText: 'Istres' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a page without islands loads no wasm; a page with one loads the runtime and its own island only', async () => {
  const page = await browser.newPage();
  const wasm = [];
  page.on('request', (req) => {
    if (req.url().endsWith('.wasm')) wasm.push(req.url());
  });
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  for (const path of ['/donnees', '/logiciels', '/connexion', '/confidentialite', '/api']) {
    await page.goto(`${server.base}${path}`, { waitUntil: 'networkidle' });
  }
  assert.deepEqual(wasm, [], 'no wasm on server-only pages');
  assert.equal(await page.locator('script[type="module"], link[rel="modulepreload"]').count(), 0);
  const cached = [];
  page.on('response', (res) => {
    if (/\/pkg\//.test(res.url())) cached.push([res.url(), res.headers()['cache-control']]);
  });
  await page.goto(`${server.base}/recherche`, { waitUntil: 'networkidle' });
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  // The shared runtime once, and the search island's own code: not the other islands'.
  const names = wasm.map((u) => u.replace(/^.*\/pkg\//, ''));
  assert.equal(names.filter((n) => /^pairs\.[A-Za-z0-9_-]{22}\.wasm$/.test(n)).length, 1, names.join(', '));
  assert.ok(names.some((n) => n.startsWith('split_search_island')), names.join(', '));
  assert.ok(!names.some((n) => n.startsWith('split_authority')), names.join(', '));
  assert.equal(new Set(names).size, names.length, `each file once: ${names.join(', ')}`);
  const css = await page.locator('link#leptos').getAttribute('href');
  assert.match(css, /^\/pkg\/pairs\.[A-Za-z0-9_-]{22}\.css$/);
  const files = cached.map(([url]) => url.replace(/^.*\/pkg\//, ''));
  assert.ok(files.some((f) => f.endsWith('.wasm')) && files.some((f) => f.endsWith('.js')), files.join(', '));
  for (const [url, policy] of cached) {
    assert.equal(policy, 'public, max-age=31536000, immutable', url);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('search form works without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  await page.fill('#finder-q', 'istres');
  await page.press('#finder-q', 'Enter');
  await page.waitForURL(/\/recherche\?q=istres/);
  await page.locator('li.result a', { hasText: 'Istres' }).first().click();
  await page.waitForURL(/\/collectivites\/com-13047$/);
  await context.close();
});

test('authority page works with JavaScript disabled', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto(`${server.base}/collectivites/com-13047`);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('h1').innerText(), 'Istres');
  const identity = await page.locator('dl.identity').innerText();
  assert.match(identity, /211300470/);
  assert.match(identity, /13047/);
  assert.match(identity, /Bouches-du-Rhône/);
  await page.locator('dl.identity a', { hasText: "Métropole d'Aix-Marseille-Provence" }).click();
  await page.waitForURL(/\/collectivites\/epci-200054807$/);
  assert.match(await page.locator('#children-title').innerText(), /Communes membres \(3\)/);
  await context.close();
});

test('unknown pages answer 404 with a way back', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${server.base}/collectivites/com-00000`);
  assert.equal(response.status(), 404);
  await page.locator('a', { hasText: "Retour à l'accueil" }).waitFor();
  await page.close();
});

for (const path of ['/', '/recherche?q=marseille', '/collectivites/com-13047', '/collectivites/epci-200054807', '/nulle-part']) {
  test(`no serious accessibility violation on ${path}`, async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}${path}`);
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.close();
  });
}
