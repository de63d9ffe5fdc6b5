// Membership in a real browser: sign-up, the verification link from the mail dir,
// approval by an administrator created with the CLI, login.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, accessibilityViolations, launchChromium, startServer, waitForMailLink } from './harness.mjs';

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

async function login(page, email, password) {
  await page.goto(`${server.base}/connexion`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL(/\/compte$/);
}

test('sign up, verify, get approved, log in', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/inscription`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  // Hydrated: the authority list follows the typing.
  await page.locator('#commune').pressSequentially('istres', { delay: 30 });
  await page.locator('label', { hasText: 'Istres' }).first().click();
  await page.check('#position-agent');
  await page.fill('#job_title', 'DSI');
  await page.fill('#first_name', 'Zoé');
  await page.fill('#last_name', 'Martin');
  await page.fill('#email', 'zoe.martin@istres.test');
  await page.fill('#password', 'un mot de passe assez long');
  await page.click('#signup-form button[type=submit]');
  await page.waitForURL(/\/inscription\/envoyee$/);

  const link = await waitForMailLink(server.mailDir, 'zoe.martin@istres.test', `${server.base}/verifier?jeton=`);
  await page.goto(link);
  await page.click('button:has-text("Confirmer mon adresse")');
  await page.waitForURL(/\/connexion\?info=adresse-confirmee/);

  // The administrator approves.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await login(admin, ADMIN.email, ADMIN.password);
  await admin.goto(`${server.base}/admin/membres`);
  const card = admin.locator('li.card', { hasText: 'Zoé Martin' });
  await card.locator('button', { hasText: 'Valider' }).click();
  await admin.waitForURL(/info=membre-valide/);
  await adminContext.close();

  await login(page, 'zoe.martin@istres.test', 'un mot de passe assez long');
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
  await page.waitForURL(/\/connexion\?erreur=/);
  assert.match(await page.locator('[role=alert]').innerText(), /incorrect/);
  assert.equal(await page.inputValue('#email'), 'personne@nulle-part.test', 'the address is kept');
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
