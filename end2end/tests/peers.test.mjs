// « Vos pairs » in a real browser, on the demo data: a member of Istres opens the page from
// the authority's, sees what comparable communes run, and declares a suggested tool in one
// click; the page has no serious accessibility violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityViolations, approvedMember, launchChromium, startServer, waitForSearchIndex } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchChromium();
  await waitForSearchIndex(server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a member opens « Vos pairs » and declares a suggested tool', async () => {
  const { context, page } = await approvedMember(browser, server, {
    email: 'lea@istres.test',
    commune: 'istres',
    authorityLabel: 'Istres',
  });
  await page.goto(`${server.base}/collectivites/com-13047`);
  await page.getByRole('link', { name: /Vos pairs/ }).click();
  await page.waitForURL(/\/collectivites\/com-13047\/pairs$/);
  assert.equal(await page.locator('h1').innerText(), 'Pairs de Istres');
  const shares = await page.locator('table.peer-tools').first().locator('tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(shares.length > 0, 'the most used tools are listed');
  for (const share of shares) assert.match(share, /^\d+ sur \d+$/);
  const peers = await page.locator('ol.peers > li').count();
  assert.ok(peers > 0 && peers <= 50, `${peers} peers`);

  const form = page.locator('table.peer-tools form').first();
  const slug = await form.locator('input[name="software"]').getAttribute('value');
  await form.locator('button').click();
  await page.waitForURL(/\/collectivites\/com-13047\?info=declaration-ajoutee/);
  await page.locator(`li.usage[data-software="${slug}"]`).waitFor();
  assert.match(await page.locator(`li.usage[data-software="${slug}"]`).innerText(), /Utilisé/);

  // Back on « Vos pairs », the tool is now marked as declared.
  await page.goto(`${server.base}/collectivites/com-13047/pairs`);
  assert.equal(await page.locator(`table.peer-tools input[name="software"][value="${slug}"]`).count(), 0);
  await context.close();
});

test('a visitor sees the lists without declaration buttons, and no serious accessibility violation', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/collectivites/com-13047/pairs`);
  assert.equal(await page.locator('table.peer-tools form').count(), 0);
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.close();
});
