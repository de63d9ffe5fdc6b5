// Contact requests in a real browser: a member finds a referent on a software page, writes
// to them, the mail arrives (file backend), the recipient opts out from the mail's link
// (no sign-in), and the next request is refused. The form and the messages page pass axe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityViolations, approvedMember, declareAsReferent, launchChromium, startServer, waitForMailLink } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const RECIPIENT = 'paul@fos.test';

test('a member contacts a referent, who opts out from the email', async () => {
  // The recipient declares a tool of Fos-sur-Mer and offers to be its referent.
  const fos = await approvedMember(browser, server, { email: RECIPIENT, commune: 'fos', authorityLabel: 'Fos-sur-Mer' });
  const slug = await declareAsReferent(fos.page, server, 'com-13039');
  await fos.context.close();

  const { context, page } = await approvedMember(browser, server, { email: 'zoe@istres.test', commune: 'istres', authorityLabel: 'Istres' });
  await page.goto(`${server.base}/logiciels/${slug}`);
  const referent = page.locator('li', { has: page.locator('a[href="/collectivites/com-13039"]') }).filter({ hasText: 'Contacter' });
  await referent.locator('a', { hasText: 'Contacter' }).click();
  await page.waitForURL(/\/contact\/nouveau\?destinataire=/);
  assert.equal(await page.inputValue('#logiciel'), slug, 'the software is preset');
  assert.ok(!(await page.content()).includes(RECIPIENT), 'the address is never in the page');
  assert.deepEqual(await accessibilityViolations(page), []);
  const formUrl = page.url();

  // A second tab with the same form, to be sent after the opt-out.
  const later = await context.newPage();
  await later.goto(formUrl);

  await page.fill('#objet', 'Votre retour sur ce logiciel');
  await page.fill('#message', 'Bonjour,\nNous envisageons de l\'adopter : qu\'en pensez-vous ?');
  await page.check('#consentement');
  // The form refuses what is sent faster than a person writes (3 s by default).
  await page.waitForTimeout(3_200);
  await page.click('#contact-form button[type=submit]');
  await page.waitForURL(/\/compte\/messages\?info=demande-envoyee/);
  assert.match(await page.locator('li.message').first().innerText(), /Envoyée à Zoé Martin \(Fos-sur-Mer\)/);
  assert.ok(!(await page.content()).includes(RECIPIENT));
  assert.deepEqual(await accessibilityViolations(page), []);

  // The mail arrives; its opt-out link works without signing in, after a confirmation.
  const optOut = await waitForMailLink(server.mailDir, RECIPIENT, `${server.base}/contact/desinscription?jeton=`);
  const anonymous = await browser.newContext();
  const mailPage = await anonymous.newPage();
  await mailPage.goto(optOut);
  await mailPage.click('button:has-text("Ne plus recevoir de demandes")');
  await mailPage.waitForURL(/info=desinscrit/);
  assert.match(await mailPage.locator('[role=status]').innerText(), /ne recevrez plus/);
  await anonymous.close();

  // The second request is refused (the recipient no longer receives: no form to fill
  // again), and nothing typed went into the address.
  await later.fill('#objet', 'Une autre question');
  await later.fill('#message', 'Encore moi.');
  await later.check('#consentement');
  await later.waitForTimeout(3_200);
  await later.click('#contact-form button[type=submit]');
  await later.locator('[role=alert]').waitFor();
  assert.match(await later.locator('[role=alert]').innerText(), /ne peut pas recevoir/);
  assert.ok(!later.url().includes('autre') && !later.url().includes('Encore'), later.url());
  await context.close();
});
