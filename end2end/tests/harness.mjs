// Starts a real Pairs server on a free port with a fresh data dir, and Debian's Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.PAIRS_BIN ?? join(root, 'target', 'debug', 'pairs');
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? join(root, 'target', 'site');
const fixture = join(root, 'server', 'tests', 'fixtures', 'referential');

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

export async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'pairs-e2e-'));
  const port = await freePort();
  const env = {
    ...process.env,
    PAIRS_DATA_DIR: dataDir,
    DATABASE_URL: '',
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: siteRoot,
    LEPTOS_OUTPUT_NAME: 'pairs',
    LEPTOS_ENV: 'PROD',
  };
  const imported = spawnSync(bin, ['import-referential', '--from', fixture], { env, encoding: 'utf8' });
  if (imported.status !== 0) {
    throw new Error(`import failed: ${imported.stderr}`);
  }
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error('server exited before answering');
    if (Date.now() > deadline) throw new Error('server did not answer within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

const axeSource = readFileSync(join(root, 'end2end', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/// Runs axe-core on the page and returns the serious and critical violations.
export async function accessibilityViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
