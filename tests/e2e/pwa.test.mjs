// The PWA shell: manifest and service worker content types, Chrome's own installability
// verdict, the offline page, and the crisis page opening offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  freePort, tempDir, startServer, stopServer, launchPhone, waitForServiceWorker, screenshotPath, setUpClinic, useSession,
} from './harness.mjs';

let server;
let dataDir;
let phone;

before(async () => {
  dataDir = tempDir('data');
  server = await startServer({ port: await freePort(), dataDir });
  const clinic = await setUpClinic(server, dataDir);
  phone = await launchPhone();
  await useSession(phone.context, server.base, clinic.patient);
});

after(async () => {
  await phone?.close();
  if (server) await stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

test('the manifest and service worker are served with the right content types', async () => {
  const page = await phone.context.newPage();
  const manifest = await page.request.get(`${server.base}/manifest.webmanifest`);
  assert.equal(manifest.headers()['content-type'], 'application/manifest+json');
  const sw = await page.request.get(`${server.base}/sw.js`);
  assert.match(sw.headers()['content-type'], /^text\/javascript/);
  const body = await sw.text();
  assert.match(body, /\/pkg\/stillpoint\.[^"]+\.wasm/, 'the precache lists the hashed wasm bundle');
  await page.close();
});

test('Chrome reports the app installable (CDP Page.getInstallabilityErrors is empty)', async () => {
  const page = await phone.context.newPage();
  await page.goto(`${server.base}/`);
  await waitForServiceWorker(page);
  const cdp = await phone.context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
  const { errors } = await cdp.send('Page.getAppManifest');
  assert.deepEqual(errors, []);
  await page.close();
});

test('offline, the crisis page opens from the cache and an unvisited page shows the offline page', async () => {
  const page = await phone.context.newPage();
  await page.goto(`${server.base}/`);
  await waitForServiceWorker(page);
  await phone.context.setOffline(true);
  try {
    await page.getByRole('link', { name: 'Need help now?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Need help now?' }).waitFor();
    assert.ok(await page.getByRole('link', { name: 'Call 988' }).isVisible());
    await page.screenshot({ path: screenshotPath('crisis-offline'), fullPage: true });
    await page.goto(`${server.base}/never-visited`);
    await page.getByRole('heading', { level: 1, name: 'You are offline' }).waitFor();
  } finally {
    await phone.context.setOffline(false);
  }
  await page.close();
});

test('a new version waits, the banner offers it, and "Update now" switches to it', async () => {
  // A private copy of the site, so this test can publish a "new version" of the worker.
  const { cpSync, readFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { SITE_ROOT } = await import('./harness.mjs');
  const siteRoot = tempDir('site');
  cpSync(SITE_ROOT, siteRoot, { recursive: true });
  const port = await freePort();
  const ownData = tempDir('data');
  let own = await startServer({ port, dataDir: ownData, siteRoot });
  const page = await phone.context.newPage();
  try {
    await page.goto(`${own.base}/`);
    await waitForServiceWorker(page);
    const firstVersion = await page.evaluate(async () => (await caches.keys()).find((k) => k.startsWith('stillpoint-')));
    assert.ok(firstVersion, 'the first version precached its files');
    assert.equal(await page.getByText('A new version of Stillpoint is ready.').count(), 0, 'no banner on first install');

    await stopServer(own);
    const sw = join(siteRoot, 'sw.js');
    writeFileSync(sw, `${readFileSync(sw, 'utf8')}\n// a new release\n`);
    own = await startServer({ port, dataDir: ownData, siteRoot });

    await page.reload();
    await page.getByText('A new version of Stillpoint is ready.').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('update-banner') });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Update now' }).click()]);
    await waitForServiceWorker(page);
    const keys = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('stillpoint-')));
    assert.equal(keys.length, 1, 'the old cache was removed');
    assert.notEqual(keys[0], firstVersion, 'the new version is in control');
    assert.equal(await page.getByText('A new version of Stillpoint is ready.').count(), 0);
  } finally {
    await page.close();
    await stopServer(own);
    rmSync(siteRoot, { recursive: true, force: true });
    rmSync(ownData, { recursive: true, force: true });
  }
});
