// Accounts in a real browser at phone size: the whole invitation chain from admin to patient,
// the therapist seeing a check-in arrive, another therapist seeing nothing, signing out; and a
// session that expires while the phone is offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  freePort, tempDir, startServer, stopServer, launchPhone, createAdmin, callApi, useSession, serverEntries,
  waitForHydration, waitForServiceWorker, submitCheckIn, screenshotPath, PASSWORD, setUpClinic,
} from './harness.mjs';

const browsers = [];
const cleanups = [];

async function phone() {
  const p = await launchPhone();
  browsers.push(p);
  return p.context.newPage();
}

after(async () => {
  for (const b of browsers) await b.close();
  for (const c of cleanups) await c();
});

async function server(extraArgs = []) {
  const dataDir = tempDir('data');
  const s = await startServer({ port: await freePort(), dataDir, extraArgs });
  cleanups.push(async () => {
    await stopServer(s);
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { s, dataDir };
}

async function waitReady(page, buttonName) {
  await page.waitForFunction((name) => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent.includes(name));
    return b && !b.disabled;
  }, buttonName);
}

async function signIn(page, base, username) {
  await page.goto(`${base}/sign-in`);
  await waitReady(page, 'Sign in');
  await page.getByLabel('Sign-in name').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function acceptLink(page, url, { name, username }) {
  await page.goto(url);
  await waitReady(page, 'Create my account');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Sign-in name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Type the password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
}

test('admin invites a therapist, who invites a patient, whose check-in only that therapist sees', async () => {
  const { s, dataDir } = await server();
  createAdmin(dataDir, 'admin');

  const admin = await phone();
  await signIn(admin, s.base, 'admin');
  await admin.waitForURL(`${s.base}/admin`);
  await waitReady(admin, 'Create invitation link');
  await admin.getByLabel("Therapist's name").fill('Tess Therapist');
  await admin.getByRole('button', { name: 'Create invitation link' }).click();
  const therapistLink = await admin.getByTestId('one-time-link').inputValue();
  assert.match(therapistLink, /\/link\/[0-9a-f]{64}$/);
  await admin.screenshot({ path: screenshotPath('admin-invite'), fullPage: true });

  const therapist = await phone();
  await acceptLink(therapist, therapistLink, { name: 'Tess Therapist', username: 'tess' });
  await therapist.waitForURL(`${s.base}/clinic`);
  await waitReady(therapist, 'Create invitation');
  await therapist.getByLabel("Patient's name").fill('Pat Patient');
  await therapist.getByRole('button', { name: 'Create invitation' }).click();
  await therapist.getByRole('img', { name: 'QR code of the link' }).waitFor();
  assert.ok(await therapist.locator('.qr svg').count(), 'the QR code is an inline SVG');
  await therapist.screenshot({ path: screenshotPath('therapist-invite-qr'), fullPage: true });
  const patientLink = await therapist.getByTestId('one-time-link').inputValue();

  const patient = await phone();
  await acceptLink(patient, patientLink, { name: 'Pat Patient', username: 'pat' });
  await patient.waitForURL(`${s.base}/`);
  await patient.goto(`${s.base}/check-in`);
  await waitForHydration(patient);
  await submitCheckIn(patient, { anxiety: 3, note: 'Slept well after the walk.' });
  await patient.getByTestId('sync-pending').filter({ hasText: 'Everything is sent.' }).waitFor();

  await therapist.goto(`${s.base}/clinic`);
  await therapist.getByRole('link', { name: 'Pat Patient' }).click();
  await therapist.getByText('Slept well after the walk.').waitFor();
  await therapist.screenshot({ path: screenshotPath('therapist-record'), fullPage: true });
  const recordUrl = therapist.url();

  // A second therapist, invited by the admin, is not on Pat's care team.
  await admin.goto(`${s.base}/admin`);
  await waitReady(admin, 'Create invitation link');
  await admin.getByLabel("Therapist's name").fill('Other Therapist');
  await admin.getByRole('button', { name: 'Create invitation link' }).click();
  const otherLink = await admin.getByTestId('one-time-link').inputValue();
  const other = await phone();
  await acceptLink(other, otherLink, { name: 'Other Therapist', username: 'otto' });
  await other.waitForURL(`${s.base}/clinic`);
  await other.getByText('No patients yet.').waitFor();
  await other.goto(recordUrl);
  await other.getByTestId('record-problem').waitFor();
  assert.equal(await other.getByText('Slept well after the walk.').count(), 0);

  // Signing out.
  await patient.goto(`${s.base}/account`);
  await waitReady(patient, 'Sign out');
  await patient.screenshot({ path: screenshotPath('patient-account'), fullPage: true });
  await patient.getByTestId('sign-out').click();
  await patient.waitForURL(`${s.base}/sign-in`);
  await patient.goto(`${s.base}/history`);
  await patient.getByTestId('sign-in-prompt').waitFor();
  assert.equal(await patient.getByText('Slept well after the walk.').count(), 0);
});

test('a session that expires while offline keeps the outbox; after signing in, entries arrive once', async () => {
  const { s, dataDir } = await server(['--patient-session-idle-secs', '8']);
  const clinic = await setUpClinic(s, dataDir, 'pat');
  const page = await phone();
  await useSession(page.context(), s.base, clinic.patient);
  await page.goto(`${s.base}/check-in`);
  await waitForServiceWorker(page);
  await waitForHydration(page);

  await page.context().setOffline(true);
  await submitCheckIn(page, { anxiety: 6, note: 'offline one' });
  await submitCheckIn(page, { anxiety: 5, note: 'offline two' });
  await page.getByTestId('sync-pending').filter({ hasText: '2 waiting' }).waitFor();
  // Tolerant: the session's idle limit is 8 s; after 10 s it has certainly ended.
  await page.waitForTimeout(10_000);
  await page.context().setOffline(false);

  await page.getByTestId('sync-sign-in').waitFor({ timeout: 30_000 });
  await page.getByTestId('sync-pending').filter({ hasText: '2 waiting' }).waitFor();
  await page.screenshot({ path: screenshotPath('sync-sign-in-prompt'), fullPage: true });
  await page.getByTestId('sync-sign-in').click();
  await page.waitForURL(/\/sign-in/);
  await waitReady(page, 'Sign in');
  await page.getByLabel('Sign-in name').fill('pat');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${s.base}/`);
  await page.getByTestId('sync-pending').filter({ hasText: 'Everything is sent.' }).waitFor({ timeout: 30_000 });

  const signIn = await callApi(s.base, 'account/sign-in', null, { username: 'pat', password: PASSWORD });
  const entries = await serverEntries(s.base, signIn.cookie);
  const notes = entries.map((e) => e.check_in.note).sort();
  assert.deepEqual(notes, ['offline one', 'offline two'], 'both arrived, exactly once');
});
