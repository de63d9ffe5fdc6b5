// Open data as a reuser and a visitor meet it: the OpenAPI document is valid OpenAPI 3.1
// and every endpoint's answer validates against its schema (a full JSON Schema validator);
// /statistiques and a software page draw their map, a département leads to the filtered
// search, and axe finds nothing serious.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import { accessibilityViolations, launchChromium, startServer, waitForSearchIndex } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchChromium();
  // The map's links and the search page need the index the worker builds after the seed.
  await waitForSearchIndex(server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/// The example request of a documented path.
function example(path) {
  return path.replace('{slug}', 'glpi').replace('{id}', 'reg-93');
}

test('the OpenAPI document is valid and every endpoint answers as documented', async () => {
  const res = await fetch(`${server.base}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  const doc = await res.json();
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
  assert.match(validator.version, /^3\.1/);

  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'pairs', components: doc.components }, 'pairs');
  const paths = Object.keys(doc.paths);
  assert.ok(paths.length >= 9, paths.join(', '));
  for (const path of paths) {
    const schema = doc.paths[path].get.responses['200'].content['application/json'].schema;
    const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"pairs#/components'));
    const validate = ajv.compile(rewritten);
    const answer = await fetch(`${server.base}${example(path)}`);
    assert.equal(answer.status, 200, path);
    assert.ok(answer.headers.get('etag'), `${path}: ETag`);
    const body = await answer.json();
    assert.ok(validate(body), `${path}: ${ajv.errorsText(validate.errors)}`);
  }
});

test('the statistics page draws its charts and map, and a département leads to the search', async () => {
  const stats = await (await fetch(`${server.base}/api/v1/statistiques`)).json();
  const busiest = stats.authorities_by_departement[0];
  assert.ok(busiest, 'the demo has authorities with tools in use');
  const page = await browser.newPage();
  await page.goto(`${server.base}/statistiques`);
  await page.locator('svg.bars').first().waitFor();
  assert.ok(await page.locator('svg.bars').count() >= 5, 'a chart per figure');
  assert.equal(await page.locator('svg.france a').count(), 101, '96 + 5 overseas départements');
  const link = page.locator(`svg.france a[href="/recherche?departement=${busiest.key}"]`);
  assert.match(await link.getAttribute('aria-label'), new RegExp(`: ${busiest.count} collectivit`));
  const shade = await link.getAttribute('class');
  assert.match(shade, /shade-4/, 'the busiest département is the darkest');
  assert.deepEqual(await accessibilityViolations(page), []);
  await link.click();
  await page.waitForURL(new RegExp(`/recherche\\?departement=${busiest.key}$`));
  await page.locator('li.result > p.meta').first().waitFor();
  const metas = await page.locator('li.result > p.meta').allTextContents();
  assert.ok(metas.length > 0);
  assert.ok(metas.every((m) => m.includes(`(${busiest.key})`)), metas.join(' | '));
  await page.close();
});

test('a software page maps where it is in use', async () => {
  const stats = await (await fetch(`${server.base}/api/v1/statistiques`)).json();
  const tool = stats.top_tools[0];
  const detail = await (await fetch(`${server.base}/api/v1/logiciels/${tool.key}`)).json();
  const inUse = detail.authorities.filter((a) => a.status === 'in_use' && a.departement);
  const departement = inUse[0].departement;
  const page = await browser.newPage();
  await page.goto(`${server.base}/logiciels/${tool.key}`);
  await page.locator('svg.france').waitFor();
  const link = page.locator(`svg.france a[href$="departement=${departement}"]`);
  const expected = inUse.filter((a) => a.departement === departement).length;
  assert.match(await link.getAttribute('aria-label'), new RegExp(`: ${expected} collectivit`));
  assert.match(await link.getAttribute('class'), /shade-[1-4]/);
  assert.deepEqual(await accessibilityViolations(page), []);
  await link.click();
  await page.waitForURL(/\/recherche\?q=.*status=in_use.*departement=/);
  await page.close();
});

test('the /api page explains the API and links its document', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/api`);
  await page.locator('table.api-endpoints').waitFor();
  assert.ok(await page.locator('a[href="/api/v1/openapi.json"]').count() >= 1);
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.close();
});
