// One question to the referents of a tool in one région, in a real browser: a member of
// Fos-sur-Mer offers to be a referent, a member of Istres narrows the question to région
// 93, reads how many will receive it, sends it, finds it once in their messages, and the
// referent's mail arrives with its own links, from which the referent publishes a retour
// d'expérience signed by their authority. The pages pass axe.
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

const REFERENT = 'ines@fos.test';

test('a member asks the referents of a tool in one région', async () => {
  const fos = await approvedMember(browser, server, { email: REFERENT, commune: 'fos', authorityLabel: 'Fos-sur-Mer' });
  const slug = await declareAsReferent(fos.page, server, 'com-13039');

  const { context, page } = await approvedMember(browser, server, { email: 'hugo@istres.test', commune: 'istres', authorityLabel: 'Istres' });
  await page.goto(`${server.base}/logiciels/${slug}`);
  await page.getByRole('link', { name: 'Poser une question aux référents' }).click();
  await page.waitForURL(new RegExp(`/logiciels/${slug}/question`));
  await page.selectOption('#question-region', '93');
  await page.click('#question-scope button[type=submit]');
  await page.waitForURL(/region=93/);
  const reach = await page.locator('#question-reach').innerText();
  const count = Number(/envoyée à (\d+) référents?/.exec(reach)?.[1]);
  assert.ok(count >= 1, reach);
  assert.ok(!(await page.content()).includes(REFERENT), 'no address in the page');
  assert.deepEqual(await accessibilityViolations(page), []);

  await page.fill('#objet', 'Votre expérience ?');
  await page.fill('#message', 'Bonjour,\nComment avez-vous organisé le déploiement ?');
  await page.check('#consentement');
  // Forms sent faster than a person writes (3 s by default) are refused.
  await page.waitForTimeout(3_200);
  await page.click('#question-form button[type=submit]');
  await page.waitForURL(/\/compte\/messages\?info=question-envoyee/);
  const entry = page.locator('li.message').first();
  assert.match(await entry.innerText(), new RegExp(`Question envoyée à ${count} référents?`));
  assert.match(await entry.innerText(), /Fos-sur-Mer/);
  assert.deepEqual(await accessibilityViolations(page), []);

  const optOut = await waitForMailLink(server.mailDir, REFERENT, `${server.base}/contact/desinscription?jeton=`);
  assert.ok(optOut.length > 40, 'the referent gets their own opt-out link');
  await context.close();

  // The referent also answers in public, from the mail's link: a retour d'expérience
  // signed by their authority.
  const retour = await waitForMailLink(server.mailDir, REFERENT, `${server.base}/logiciels/${slug}/retour`);
  await fos.page.goto(retour);
  assert.deepEqual(await accessibilityViolations(fos.page), []);
  await fos.page.fill('#texte', 'En service depuis deux ans, sans incident.');
  await fos.page.click('#review-form button[type=submit]');
  await fos.page.waitForURL(/info=retour-enregistre/);
  const published = fos.page.locator('li.review').first();
  assert.match(await published.innerText(), /En service depuis deux ans/);
  assert.match(await published.innerText(), /Fos-sur-Mer/);
  assert.ok(!(await published.innerText()).includes('Martin'), 'signed by the authority, not the person');
  assert.deepEqual(await accessibilityViolations(fos.page), []);
  await fos.context.close();
});
