// Membership in a real browser: sign-up, the verification link from the mail dir,
// approval by an administrator created with the CLI, login.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityViolations, approvedMember, launchChromium, startServer } from './harness.mjs';

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

test('sign up, verify, get approved, log in', async () => {
  // The authority list follows the typing once hydrated.
  const probe = await browser.newPage();
  await probe.goto(`${server.base}/inscription`);
  await probe.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await probe.locator('#commune').pressSequentially('istres', { delay: 30 });
  await probe.locator('label', { hasText: 'Istres' }).first().waitFor();
  await probe.close();

  const { context, page } = await approvedMember(browser, server, {
    email: 'zoe.martin@istres.test',
    commune: 'istres',
    authorityLabel: 'Istres',
  });
  assert.match(await page.locator('h1').innerText(), /Zoé Martin/);
  assert.equal(await page.locator('text=en attente de validation').count(), 0);
  await context.close();
});

test('login errors are shown without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/connexion`);
  await page.fill('#email', 'personne@nulle-part.test');
  await page.fill('#password', 'un mot de passe quelconque');
  await page.click('#login-form button[type=submit]');
  await page.locator('[role=alert]').waitFor();
  assert.match(await page.locator('[role=alert]').innerText(), /incorrect/);
  assert.equal(await page.inputValue('#email'), 'personne@nulle-part.test', 'the address is kept');
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/connexion', 'nothing typed is in the address');
  await context.close();
});

for (const path of ['/connexion', '/inscription?commune=istres', '/mot-de-passe-oublie']) {
  test(`no serious accessibility violation on ${path}`, async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}${path}`);
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.close();
  });
}
