// Administration in a real browser: an administrator approves a member (through the members
// page), suspends another — whose open page lands on the login page at the next click —,
// sets an authority's label, and finds each action in the journal. Admin pages pass axe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, accessibilityViolations, approvedMember, launchChromium, startServer } from './harness.mjs';

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

async function adminPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/connexion`);
  await page.fill('#email', ADMIN.email);
  await page.fill('#password', ADMIN.password);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL(/\/compte$/);
  return { context, page };
}

test('an administrator approves, suspends, labels, and reads it all in the journal', async () => {
  // Approval happens on /admin/membres inside approvedMember.
  const first = await approvedMember(browser, server, { email: 'zoe@istres.test', commune: 'istres', authorityLabel: 'Istres' });
  await first.context.close();
  const other = await approvedMember(browser, server, { email: 'marc@istres.test', commune: 'istres', authorityLabel: 'Istres' });
  // A server-rendered page (no island): its links are plain navigations.
  await other.page.goto(`${server.base}/compte`, { waitUntil: 'load' });

  const { context, page } = await adminPage();
  await page.goto(`${server.base}/admin`);
  assert.deepEqual(await accessibilityViolations(page), []);
  // The search is posted: what is typed stays out of the address (and access logs).
  await page.goto(`${server.base}/admin/membres`);
  await page.fill('#members-q', 'marc');
  await page.press('#members-q', 'Enter');
  await page.waitForURL(/\/admin\/membres\?f=/);
  assert.ok(!page.url().includes('marc'), page.url());
  assert.equal(await page.inputValue('#members-q'), 'marc');
  const card = page.locator('li.member', { hasText: 'marc@istres.test' });
  await card.locator('textarea').fill('Comportement contraire à la charte');
  await card.locator('button', { hasText: 'Suspendre' }).click();
  await page.waitForURL(/info=membre-suspendu/);
  assert.deepEqual(await accessibilityViolations(page), []);

  // The suspended member's open page: the next click lands on the login page.
  await other.page.click('a[href="/compte/messages"]');
  await other.page.waitForURL(/\/connexion\?retour=/, { timeout: 15_000 });
  await other.context.close();

  // A label on Istres, shown on its page.
  await page.goto(`${server.base}/collectivites/com-13047`);
  await page.check('#standing-member');
  await page.fill('#standing-since', '2020-01-15');
  await page.selectOption('#standing-label', '4');
  await page.fill('#standing-year', '2025');
  await page.click('#standing-form button[type=submit]');
  await page.waitForURL(/info=collectivite-modifiee/);
  assert.match(await page.locator('.badges').innerText(), /@@@@ \(2025\)/);

  // Every action is in the journal.
  await page.goto(`${server.base}/admin/journal`);
  const journal = await page.locator('table.journal').innerText();
  for (const action of ['member.approve', 'member.suspend', 'authority.standing']) {
    assert.ok(journal.includes(action), `${action} in the journal`);
  }
  assert.ok(journal.includes('Comportement contraire à la charte'));
  assert.deepEqual(await accessibilityViolations(page), []);
  for (const path of ['/admin/signalements', '/admin/logiciels']) {
    await page.goto(`${server.base}${path}`);
    assert.deepEqual(await accessibilityViolations(page), [], path);
  }
  // A member's file, reached from the members list.
  await page.goto(`${server.base}/admin/membres`);
  await page.fill('#members-q', 'zoe');
  await page.press('#members-q', 'Enter');
  await page.waitForURL(/\/admin\/membres\?f=/);
  await page.locator('li.member', { hasText: 'zoe@istres.test' }).locator('h3 a').click();
  await page.waitForURL(/\/admin\/membres\/\d+/);
  // The link navigates in the hydrated app: wait for the file, not just the address.
  await page.locator('h2', { hasText: 'Journal récent' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});
