// Starts a real Pairs server on a free port with a fresh data dir, and Debian's Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

/// With PAIRS_E2E_POSTGRES_URL (a server URL without database name), every test server gets
/// a fresh PostgreSQL database, dropped when it stops; otherwise a SQLite file.
const postgresServer = (process.env.PAIRS_E2E_POSTGRES_URL ?? '').replace(/\/+$/, '');
export const backend = postgresServer ? 'postgres' : 'sqlite';

function psql(sql) {
  const done = spawnSync('psql', [`${postgresServer}/postgres`, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`psql failed: ${done.stderr}`);
}

function freshDatabase() {
  if (!postgresServer) return { url: '', drop() {} };
  const name = `pairs_e2e_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  psql(`CREATE DATABASE ${name}`);
  return {
    url: `${postgresServer}/${name}`,
    drop() {
      psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function startServer({ demo = false } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'pairs-e2e-'));
  const port = await freePort();
  const database = freshDatabase();
  const env = {
    ...process.env,
    PAIRS_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: siteRoot,
    LEPTOS_OUTPUT_NAME: 'pairs',
    LEPTOS_ENV: 'PROD',
    PAIRS_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: '',
    // One index per test server, so servers sharing a Meilisearch (when MEILI_URL is set)
    // never see each other's documents.
    MEILI_INDEX: `pairs_e2e_${port}`,
  };
  const imported = spawnSync(bin, ['import-referential', '--from', fixture], { env, encoding: 'utf8' });
  if (imported.status !== 0) {
    throw new Error(`import failed: ${imported.stderr}`);
  }
  const admin = spawnSync(bin, ['create-admin', '--email', ADMIN.email], {
    env,
    input: `${ADMIN.password}\n`,
    encoding: 'utf8',
  });
  if (admin.status !== 0) {
    throw new Error(`create-admin failed: ${admin.stderr}`);
  }
  if (demo) {
    const seeded = spawnSync(bin, ['seed-demo'], { env, encoding: 'utf8' });
    if (seeded.status !== 0) {
      throw new Error(`seed-demo failed: ${seeded.stderr}`);
    }
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
    mailDir: join(dataDir, 'mail'),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
      database.drop();
    },
  };
}

/// Waits until the worker has built the search index of a demo server (it does so in the
/// background after the seed).
export async function waitForSearchIndex(server, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${server.base}/api/v1/search?q=libreoffice`);
    if ((await res.json()).total > 0) return;
    if (Date.now() > deadline) throw new Error('the index was not built in time');
    await new Promise((r) => setTimeout(r, 300));
  }
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
  // Evaluated through the DevTools protocol: the site's CSP (no inline script without its
  // nonce) rightly refuses an injected <script> tag.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export const ADMIN = { email: 'admin@pairs.test', password: 'le grand administrateur du réseau' };

/// Waits for an .eml file sent to `to` and returns the first link starting with `prefix`.
export async function waitForMailLink(mailDir, to, prefix, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(mailDir)) {
      for (const name of readdirSync(mailDir).sort()) {
        const raw = readFileSync(join(mailDir, name), 'utf8');
        if (!raw.includes(`To: ${to}`)) continue;
        const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        const start = text.indexOf(prefix);
        if (start >= 0) return text.slice(start).split(/[\s"<]/)[0];
      }
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} with ${prefix}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function login(page, base, email, password) {
  await page.goto(`${base}/connexion`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL(/\/compte$/);
}

/// Signs up through the form (authority found by `commune`), verifies with the mailed link,
/// has the administrator approve, and returns a logged-in page of a new context.
export async function approvedMember(browser, server, { email, commune, authorityLabel, password = 'un mot de passe assez long' }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/inscription?commune=${encodeURIComponent(commune)}`);
  await page.locator('label', { hasText: authorityLabel }).first().click();
  await page.check('#position-agent');
  await page.fill('#job_title', 'DSI');
  await page.fill('#first_name', 'Zoé');
  await page.fill('#last_name', 'Martin');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#signup-form button[type=submit]');
  await page.waitForURL(/\/inscription\/envoyee$/);
  const link = await waitForMailLink(server.mailDir, email, `${server.base}/verifier?jeton=`);
  await page.goto(link);
  await page.click('button:has-text("Confirmer mon adresse")');
  await page.waitForURL(/\/connexion\?info=adresse-confirmee/);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await login(admin, server.base, ADMIN.email, ADMIN.password);
  await admin.goto(`${server.base}/admin/membres`);
  await admin.locator('li.card', { hasText: email }).locator('button', { hasText: 'Valider' }).click();
  await admin.waitForURL(/info=membre-valide/);
  await adminContext.close();

  await login(page, server.base, email, password);
  return { context, page };
}

/// The signed-in member on `page` declares, for their authority `authorityId`, a tool it has
/// not declared yet, in use, as its referent; returns the tool's slug.
export async function declareAsReferent(page, server, authorityId) {
  await page.goto(`${server.base}/collectivites/${authorityId}`);
  const declared = await page.locator('li.usage').evaluateAll((items) => items.map((i) => i.dataset.software));
  const options = await page.locator('#declare-software option').evaluateAll((os) => os.map((o) => o.value));
  const slug = options.find((value) => value && !declared.includes(value));
  await page.selectOption('#declare-software', slug);
  await page.selectOption('#declare-status', 'in_use');
  await page.check('#declare-referent');
  await page.click('#declare-form button[type=submit]');
  await page.waitForURL(/info=declaration-ajoutee/);
  return slug;
}
