// The sync spine in a real browser: hydration, online send, offline outbox through a reload
// served by the service worker, and a server restart while entries wait.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  freePort, tempDir, startServer, stopServer, launchPhone, serverEntries, setUpClinic, useSession,
  waitForHydration, waitForServiceWorker, submitCheckIn, screenshotPath,
} from './harness.mjs';

let server;
let port;
let dataDir;
let phone;
let clinic;

before(async () => {
  port = await freePort();
  dataDir = tempDir('data');
  server = await startServer({ port, dataDir });
  clinic = await setUpClinic(server, dataDir);
  phone = await launchPhone();
  await useSession(phone.context, server.base, clinic.patient);
});

after(async () => {
  await phone?.close();
  if (server) await stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

test('hydration works: the form answers a click with a message only the wasm can show', async () => {
  const page = await phone.context.newPage();
  await page.goto(`${server.base}/check-in`);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Save check-in' }).click();
  await page.getByText('Please choose how anxious you feel, from 0 to 10.').waitFor();
  // Client-side navigation (no full reload) also needs the router in wasm.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
  await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
  await page.close();
});

test('a check-in saved online lands on the server', async () => {
  const page = await phone.context.newPage();
  await page.goto(`${server.base}/check-in`);
  await waitForHydration(page);
  await submitCheckIn(page, { anxiety: 3, mood: 'Good', sleep: '8', note: 'Walked to work.' });
  await page.getByTestId('sync-pending').filter({ hasText: 'Everything is sent.' }).waitFor();
  await page.getByTestId('sync-last').filter({ hasText: 'Last synced just now.' }).waitFor();
  const entries = await serverEntries(server.base, clinic.patient);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].check_in.anxiety, 3);
  assert.equal(entries[0].check_in.mood, 4);
  assert.equal(entries[0].check_in.note, 'Walked to work.');
  await page.screenshot({ path: screenshotPath('check-in-sent'), fullPage: true });
  await page.close();
});

test('offline: two check-ins wait on the phone, survive a reload served by the service worker, and send once online', async () => {
  const before = (await serverEntries(server.base, clinic.patient)).length;
  const page = await phone.context.newPage();
  await page.goto(`${server.base}/check-in`);
  await waitForHydration(page);
  await waitForServiceWorker(page);

  await phone.context.setOffline(true);
  await submitCheckIn(page, { anxiety: 6, mood: 'Low' });
  await submitCheckIn(page, { anxiety: 7, mood: 'Very low', note: 'Hard day.' });
  await page.getByTestId('sync-pending').filter({ hasText: '2 waiting to send' }).waitFor();

  const reloaded = await page.reload();
  assert.ok(reloaded.fromServiceWorker(), 'the offline reload is answered by the service worker');
  await waitForHydration(page);
  await page.getByTestId('sync-pending').filter({ hasText: '2 waiting' }).waitFor();
  await page.screenshot({ path: screenshotPath('check-in-offline-2-waiting'), fullPage: true });
  assert.equal((await serverEntries(server.base, clinic.patient)).length, before, 'nothing reached the server while offline');

  await phone.context.setOffline(false);
  await page.getByTestId('sync-pending').filter({ hasText: 'Everything is sent.' }).waitFor({ timeout: 30_000 });
  const entries = await serverEntries(server.base, clinic.patient);
  assert.equal(entries.length, before + 2, 'exactly two new entries');
  assert.deepEqual(entries.slice(0, 2).map((e) => e.check_in.anxiety).sort(), [6, 7]);
  await page.close();
});

test('entries saved while the server is down arrive exactly once after it restarts', async () => {
  const before = (await serverEntries(server.base, clinic.patient)).length;
  const page = await phone.context.newPage();
  await page.goto(`${server.base}/check-in`);
  await waitForHydration(page);

  assert.equal(await stopServer(server), 0, 'graceful shutdown exits 0');
  await submitCheckIn(page, { anxiety: 2 });
  await submitCheckIn(page, { anxiety: 1 });
  await page.getByTestId('sync-pending').filter({ hasText: '2 waiting to send' }).waitFor();
  await page.getByTestId('sync-failure').waitFor();

  server = await startServer({ port, dataDir });
  // The retry timer (backoff with jitter) sends them without any action from the patient.
  await page.getByTestId('sync-pending').filter({ hasText: 'Everything is sent.' }).waitFor({ timeout: 60_000 });
  const entries = await serverEntries(server.base, clinic.patient);
  assert.equal(entries.length, before + 2, 'each entry arrived exactly once');
  const ids = new Set(entries.map((e) => e.id));
  assert.equal(ids.size, entries.length, 'no duplicate ids');
  await page.close();
});
