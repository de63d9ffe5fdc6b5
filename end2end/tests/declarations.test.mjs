// Declarations in a real browser: a member declares a tool, sees it on the authority and
// software pages, and re-confirms a stale declaration (from the demo data).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityViolations, approvedMember, launchChromium, startServer } from './harness.mjs';

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

test('a member declares a tool and re-confirms a stale one', async () => {
  const { context, page } = await approvedMember(browser, server, {
    email: 'zoe@istres.test',
    commune: 'istres',
    authorityLabel: 'Istres',
  });
  await page.goto(`${server.base}/collectivites/com-13047`);
  // A tool the authority has not declared yet.
  const declared = await page.locator('li.usage').evaluateAll((items) => items.map((i) => i.dataset.software));
  const options = await page.locator('#declare-software option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  const [slug, name] = options.find(([value]) => value && !declared.includes(value));
  await page.selectOption('#declare-software', slug);
  await page.selectOption('#declare-status', 'evaluating');
  await page.fill('#declare-since', '2024');
  await page.fill('#declare-notes', 'Test avec le service urbanisme.');
  await page.selectOption('#declare-satisfaction', '4');
  await page.check('#declare-referent');
  await page.click('#declare-form button[type=submit]');
  await page.waitForURL(/info=declaration-ajoutee/);
  const item = page.locator(`li.usage[data-software="${slug}"]`);
  assert.match(await item.innerText(), /En évaluation · depuis 2024/);
  assert.match(await item.innerText(), /Test avec le service urbanisme\./);

  await page.goto(`${server.base}/logiciels/${slug}`);
  assert.equal(await page.locator('h1').innerText(), name);
  await page.locator('a[href="/collectivites/com-13047"]').first().waitFor();
  assert.match(await page.locator('#referents-title + *').innerText(), /Zoé Martin/);

  // The demo declared older tools for Istres; one of them asks for confirmation.
  await page.goto(`${server.base}/collectivites/com-13047`);
  const stale = page.locator('li.usage.stale').first();
  const staleSlug = await stale.getAttribute('data-software');
  await stale.locator('button', { hasText: "Toujours d'actualité" }).click();
  await page.waitForURL(/info=declaration-confirmee/);
  const confirmed = page.locator(`li.usage[data-software="${staleSlug}"]`);
  assert.match(await confirmed.innerText(), /Confirmé le/);
  assert.equal(await confirmed.evaluate((el) => el.classList.contains('stale')), false);
  await context.close();
});

for (const path of ['/logiciels', '/logiciels/glpi', '/collectivites/com-13047']) {
  test(`no serious accessibility violation on ${path}`, async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}${path}`);
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.close();
  });
}
