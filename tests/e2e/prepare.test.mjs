// Preparation at phone size: the therapist schedules a session in the browser, the patient
// sees it with a countdown, prepares fully while offline (every guide, intention, ride,
// questions), and once back online the therapist sees the patient ready.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import {
  freePort, tempDir, startServer, stopServer, launchPhone, setUpClinic, useSession, callApi,
  waitForServiceWorker, screenshotPath,
} from './harness.mjs';

let server;
let dataDir;
let clinic;
let patientId;
let therapistPhone;
let patientPhone;

before(async () => {
  const port = await freePort();
  dataDir = tempDir('data');
  server = await startServer({ port, dataDir });
  clinic = await setUpClinic(server, dataDir);
  const me = await callApi(server.base, 'account/me', clinic.patient);
  patientId = me.json.id;
  therapistPhone = await launchPhone({ timezoneId: 'America/New_York' });
  await useSession(therapistPhone.context, server.base, clinic.therapist);
  patientPhone = await launchPhone({ timezoneId: 'America/New_York' });
  await useSession(patientPhone.context, server.base, clinic.patient);
});

after(async () => {
  await patientPhone?.close();
  await therapistPhone?.close();
  if (server) await stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Waits until a button is enabled (it is disabled until the wasm has hydrated the page). */
async function waitForEnabled(page, name) {
  const button = page.getByRole('button', { name, exact: true }).first();
  await button.waitFor({ state: 'visible' });
  await page.waitForFunction((label) => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === label);
    return b && !b.disabled;
  }, name);
}

/** A datetime-local value `days` from now at 10:00 (the date part in UTC is fine for this). */
function daysAhead(days) {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  return `${d.toISOString().slice(0, 10)}T10:00`;
}

async function therapistReadiness() {
  const r = await callApi(server.base, 'clinic/patient-sessions', clinic.therapist, { patient_id: patientId });
  assert.equal(r.status, 200);
  return r.json;
}

test('the therapist schedules a session and the patient sees it with a countdown', async () => {
  const page = await therapistPhone.context.newPage();
  await page.goto(`${server.base}/clinic/patients/${patientId}`);
  await waitForEnabled(page, 'Schedule session');
  // The browser's own time zone is filled in after hydration.
  const zone = page.getByLabel('Time zone').first();
  await page.waitForFunction(() => document.querySelector('#schedule-zone')?.value === 'America/New_York');
  assert.equal(await zone.inputValue(), 'America/New_York');

  // A time in the past is refused with a readable sentence.
  await page.getByLabel('Date and time').first().fill('2020-01-01T10:00');
  await page.getByLabel('How the medicine is given').first().selectOption('intravenous');
  await page.getByRole('button', { name: 'Schedule session' }).click();
  await page.getByTestId('form-message').filter({ hasText: 'cannot be in the past' }).waitFor();

  await page.getByLabel('Date and time').first().fill(daysAhead(6));
  await page.getByLabel('Where (optional)').first().fill('Room 2, second floor');
  await page.getByRole('button', { name: 'Schedule session' }).click();
  await page.getByTestId('form-message').filter({ hasText: 'Scheduled for' }).waitFor();
  await page.getByTestId('upcoming-session').first().waitFor();
  await page.screenshot({ path: screenshotPath('therapist-scheduled'), fullPage: true });
  await page.close();

  const patient = await patientPhone.context.newPage();
  await patient.goto(`${server.base}/`);
  const card = patient.getByTestId('next-session');
  await card.waitFor();
  await card.getByText('Room 2, second floor').waitFor();
  assert.match(await card.getByTestId('session-when').innerText(), /at 10:00 AM \(E[SD]T\)/);
  assert.match(await card.getByTestId('countdown').innerText(), /^in [56] days$/);
  await patient.screenshot({ path: screenshotPath('today-next-session'), fullPage: true });
  await patient.close();
});

test('guides read and ticks made offline count toward readiness after sync, and the therapist sees the patient ready', async () => {
  const page = await patientPhone.context.newPage();
  await page.goto(`${server.base}/prepare`);
  await waitForEnabled(page, 'Save intention');
  await waitForServiceWorker(page);
  const slugs = await page.locator('.module-item').evaluateAll((items) => items.map((i) => i.dataset.slug));
  assert.ok(slugs.length >= 9, `every guide for the drip route is listed (${slugs.length})`);
  // The service worker keeps Prepare and every guide page once Prepare was opened.
  const wanted = ['/prepare', ...slugs.map((slug) => `/prepare/${slug}`)];
  const deadline = Date.now() + 30_000;
  for (;;) {
    const missing = await page.evaluate(async (paths) => {
      const names = await caches.keys();
      const out = [];
      for (const path of paths) {
        let found = false;
        for (const name of names) {
          if (await (await caches.open(name)).match(path)) found = true;
        }
        if (!found) out.push(path);
      }
      return out;
    }, wanted);
    if (missing.length === 0) break;
    assert.ok(Date.now() < deadline, `not kept for offline use: ${missing.join(', ')}`);
    await page.waitForTimeout(250);
  }
  await page.screenshot({ path: screenshotPath('prepare-checklist'), fullPage: true });

  await patientPhone.context.setOffline(true);
  for (const slug of slugs) {
    const response = await page.goto(`${server.base}/prepare/${slug}`);
    assert.ok(response.fromServiceWorker(), `${slug} opens offline`);
    await waitForEnabled(page, 'Mark as read');
    await page.getByRole('button', { name: 'Mark as read' }).click();
    await page.getByTestId('read-state').filter({ hasText: 'You have read this guide.' }).waitFor();
    if (slug === 'dissociation') {
      await page.getByRole('heading', { level: 1, name: /Dissociation/ }).waitFor();
      await page.screenshot({ path: screenshotPath('guide-offline'), fullPage: true });
    }
  }

  const reloaded = await page.goto(`${server.base}/prepare`);
  assert.ok(reloaded.fromServiceWorker(), 'Prepare opens offline');
  await waitForEnabled(page, 'Save intention');
  await page.getByTestId('item-modules').filter({ hasText: 'Done' }).waitFor();
  await page.getByLabel('Your intention for this session').fill('I want to meet my fear with kindness.');
  await page.getByRole('button', { name: 'Save intention' }).click();
  await page.getByTestId('intention').filter({ hasText: 'meet my fear with kindness' }).waitFor();
  await page.getByLabel('Someone will take me home, and I will not drive until the next day.').check();
  await page.getByTestId('item-ride').filter({ hasText: 'Done' }).waitFor();
  await page.getByLabel('A question for your therapist').fill('Can I bring my own music?');
  await page.getByRole('button', { name: 'Add question' }).click();
  await page.getByTestId('item-questions').filter({ hasText: 'Done' }).waitFor();
  // The fasting reminder can only be ticked on the day.
  await page.getByTestId('item-fasting').filter({ hasText: 'On the day' }).waitFor();
  await page.getByTestId('readiness-line').filter({ hasText: '4 of 5 steps done. The last step is on the day.' }).waitFor();
  const waiting = await page.getByTestId('sync-pending').innerText();
  assert.match(waiting, /waiting/, 'everything waits on the phone while offline');
  await page.screenshot({ path: screenshotPath('prepare-offline-ready'), fullPage: true });

  // Nothing reached the server while offline.
  const offlineView = await therapistReadiness();
  assert.equal(offlineView[0].readiness.ready, false);
  assert.equal(offlineView[0].readiness.modules_read, 0);

  await patientPhone.context.setOffline(false);
  await page.getByTestId('sync-pending').filter({ hasText: 'Everything is sent.' }).waitFor({ timeout: 30_000 });
  const synced = await therapistReadiness();
  const r = synced[0].readiness;
  assert.equal(r.ready, true, JSON.stringify(r));
  assert.equal(r.modules_read, r.modules_total);
  assert.equal(r.intention, 'I want to meet my fear with kindness.');
  assert.deepEqual(r.questions, ['Can I bring my own music?']);

  const therapist = await therapistPhone.context.newPage();
  await therapist.goto(`${server.base}/clinic/patients/${patientId}`);
  const readiness = therapist.getByTestId('therapist-readiness').first();
  await readiness.getByText('4 of 5 steps done. The last step is on the day.').waitFor();
  await readiness.getByText('I want to meet my fear with kindness.').waitFor();
  await readiness.getByText(`Guides read: ${slugs.length} of ${slugs.length}`).waitFor();
  await therapist.screenshot({ path: screenshotPath('therapist-sees-ready'), fullPage: true });
  await therapist.close();
  await page.close();
});

/** Stores a session that already took place (the app refuses to schedule one in the past). */
function seedPastSession(id, startedAt) {
  const script = [
    'import sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1], timeout=10)',
    'at = int(sys.argv[4])',
    "db.execute(\"insert into dosing_sessions (id, patient_id, starts_at, time_zone, route, location_note, status, cancel_reason, created_by, created_at, updated_at) values (?, ?, ?, 'America/New_York', 'lozenge', '', 'scheduled', '', null, ?, ?)\", (sys.argv[2], sys.argv[3], at, at, at))",
    'db.commit()',
  ].join('\n');
  execFileSync('python3', ['-c', script, join(dataDir, 'stillpoint.db'), id, patientId, String(startedAt)]);
}

test('a day after a session its integration prompt is on Today, and the answer reaches the care team', async () => {
  seedPastSession('01900000-0000-7000-8000-0000000000aa', Date.now() - 25 * 3600 * 1000);
  const page = await patientPhone.context.newPage();
  await page.goto(`${server.base}/`);
  const prompt = page.getByTestId('integration-prompt');
  await prompt.getByRole('heading', { name: 'One day after your session' }).waitFor();
  assert.equal(await prompt.count(), 1, 'only the prompt that is due shows');
  await waitForEnabled(page, 'Save your answer');
  await page.screenshot({ path: screenshotPath('today-integration-prompt'), fullPage: true });

  // An empty answer is refused on the phone.
  await page.getByRole('button', { name: 'Save your answer' }).click();
  await prompt.getByText('Please write your answer first.').waitFor();

  await page.getByLabel(/What do you remember most/).fill('I felt calm for the first time in weeks.');
  await page.getByRole('button', { name: 'Save your answer' }).click();
  await page.getByText('Thank you for taking the time.').waitFor();
  await prompt.waitFor({ state: 'detached' });
  await page.getByTestId('sync-pending').filter({ hasText: 'Everything is sent.' }).waitFor({ timeout: 30_000 });

  const record = await callApi(server.base, 'clinic/patient', clinic.therapist, { patient_id: patientId });
  assert.equal(record.status, 200);
  const summaries = record.json.entries.map((e) => e.summary);
  assert.ok(
    summaries.includes('One day after your session: I felt calm for the first time in weeks.'),
    JSON.stringify(summaries),
  );
  // Answered: after a reload it stays away.
  await page.reload();
  await page.getByTestId('next-session').waitFor();
  assert.equal(await page.getByTestId('integration-prompt').count(), 0);
  await page.close();
});

test('pages with a session, a checklist and readiness pass axe (WCAG 2.1 AA) for patient and therapist', async () => {
  const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const scan = async (cookie, paths) => {
    // bypassCSP only so the test can inject axe; the app itself never needs it.
    const phone = await launchPhone({ bypassCSP: true, timezoneId: 'America/New_York' });
    await useSession(phone.context, server.base, cookie);
    const page = await phone.context.newPage();
    const problems = [];
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      for (const path of paths) {
        await page.goto(`${server.base}${path}`);
        await page.waitForLoadState('networkidle');
        await page.addScriptTag({ path: AXE });
        const result = await page.evaluate(async () =>
          // eslint-disable-next-line no-undef
          axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })
        );
        for (const v of result.violations) {
          problems.push(`${path} (${scheme}) ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }
      }
    }
    await phone.close();
    return problems;
  };
  assert.deepEqual(await scan(clinic.patient, ['/', '/prepare', '/prepare/if-needles-worry-you']), []);
  assert.deepEqual(await scan(clinic.therapist, ['/clinic', `/clinic/patients/${patientId}`]), []);
});
