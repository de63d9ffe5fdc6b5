// What a person feels on /recherche, measured in Chromium on loopback against the release
// build (PAIRS_BIN, LEPTOS_SITE_ROOT): first contentful paint, time until the search
// island is hydrated, and keystroke -> results painted when typing a tool's name with a
// typo (the island waits DEBOUNCE_MS after the last key, then asks the server). Prints
// one line per figure (median and worst of RUNS page loads) for `make bench`.
import { launchChromium, startServer, waitForSearchIndex } from '../tests/harness.mjs';

const RUNS = Number(process.env.BENCH_BROWSER_RUNS ?? 15);
const DEBOUNCE_MS = 250;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const server = await startServer({ demo: true });
const browser = await launchChromium();
try {
  await waitForSearchIndex(server);
  const fcp = [];
  const interactive = [];
  const keystroke = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      // When the island marks the body as hydrated, and when the results change.
      new MutationObserver(() => {
        if (document.body?.dataset.hydrated === 'true' && window.__hydratedAt === undefined) {
          window.__hydratedAt = performance.now();
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
    });
    await page.goto(`${server.base}/recherche`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
    const paint = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    );
    fcp.push(paint);
    interactive.push(await page.evaluate(() => window.__hydratedAt));
    // Type « nexcloud » (a typo); time from the last key to the results painted.
    await page.evaluate(() => {
      const count = document.querySelector('[data-testid="result-count"]');
      window.__before = count?.textContent;
      window.__painted = undefined;
      document.querySelector('#search-q').addEventListener('keydown', () => {
        window.__lastKey = performance.now();
      });
      new MutationObserver(() => {
        const now = document.querySelector('[data-testid="result-count"]');
        const first = document.querySelector('li.result .matched-tools a');
        if (window.__painted === undefined && now && now.textContent !== window.__before
          && first?.textContent.includes('Nextcloud')) {
          requestAnimationFrame(() => { window.__painted = performance.now(); });
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await page.locator('#search-q').pressSequentially('nexcloud', { delay: 60 });
    await page.waitForFunction(() => window.__painted !== undefined, null, { timeout: 10_000 });
    keystroke.push(await page.evaluate(() => window.__painted - window.__lastKey));
    await context.close();
  }
  const line = (name, values, target) => {
    const worst = Math.max(...values);
    console.log(`${name}: median ${median(values).toFixed(0)} ms, worst ${worst.toFixed(0)} ms (target ${target} ms, ${RUNS} loads)`);
  };
  line('first contentful paint', fcp, 300);
  line('interactive (search island hydrated)', interactive, 500);
  line('keystroke to results painted, after the debounce', keystroke.map((k) => k - DEBOUNCE_MS), 50);
  console.log(`debounce: ${DEBOUNCE_MS} ms`);
} finally {
  await browser.close();
  await server.stop();
}
