// Shared helpers for the browser tests: start and stop the real release server on a loopback
// port with its own data folder, and launch Debian's chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.STILLPOINT_BIN ?? join(here, '../../target/release/stillpoint');
export const SITE_ROOT = process.env.STILLPOINT_SITE_ROOT ?? join(here, '../../target/site');
export const SCREENSHOTS = join(here, 'screenshots');
export const PHONE = { width: 390, height: 844 };

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `stillpoint-${prefix}-`));
}

/** Starts the server; resolves when /healthz answers. */
export async function startServer({ port, dataDir, siteRoot = SITE_ROOT, extraArgs = [] }) {
  const child = spawn(BIN, ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--site-root', siteRoot, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    }
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return { child, base, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become healthy:\n${output}`);
}

/** Stops the server with SIGTERM (graceful shutdown) and waits for it to exit. */
export async function stopServer(server) {
  if (server.child.exitCode !== null) return server.child.exitCode;
  const exited = new Promise((resolve) => server.child.once('exit', (code) => resolve(code)));
  server.child.kill('SIGTERM');
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000));
  const code = await Promise.race([exited, timeout]);
  if (code === 'timeout') {
    server.child.kill('SIGKILL');
    throw new Error('server did not stop within 15 s of SIGTERM');
  }
  return code;
}

/** A phone-sized, non-incognito browser context (installability is not checked in incognito). */
export async function launchPhone(options = {}) {
  const profile = tempDir('profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: PHONE,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    ...options,
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

export const PASSWORD = 'quiet river morning';

/** Calls a server function as `cookie` (or nobody); returns status, JSON body and new cookie. */
export async function callApi(base, endpoint, cookie, form = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.cookie = cookie;
  const res = await fetch(`${base}/api/${endpoint}`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  const set = res.headers.getSetCookie().find((c) => c.startsWith('stillpoint_session=') && !c.includes('Max-Age=0'));
  return { status: res.status, json, cookie: set ? set.split(';')[0] : null };
}

/** Creates an admin with the server's own command (scripted install). */
export function createAdmin(dataDir, username = 'admin') {
  execFileSync(BIN, ['create-admin', '--username', username, '--data-dir', dataDir], {
    env: { ...process.env, STILLPOINT_ADMIN_PASSWORD: PASSWORD, RUST_LOG: 'warn' },
    stdio: 'pipe',
  });
}

async function redeem(base, url, username, displayName) {
  const token = url.split('/').pop();
  const r = await callApi(base, 'account/redeem', null, { token, username, display_name: displayName, password: PASSWORD });
  if (r.status !== 200) throw new Error(`redeem failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.cookie;
}

/**
 * Sets up a clinic through the real API: an admin (by the CLI), a therapist (invited by the
 * admin) and a patient (invited by the therapist). Returns their session cookies.
 */
export async function setUpClinic(server, dataDir, patientName = 'pat') {
  createAdmin(dataDir);
  const admin = await callApi(server.base, 'account/sign-in', null, { username: 'admin', password: PASSWORD });
  if (admin.status !== 200) throw new Error(`admin sign-in failed: ${admin.status}`);
  const invite = await callApi(server.base, 'admin/invite-therapist', admin.cookie, { display_name: 'Tess Therapist' });
  const therapist = await redeem(server.base, invite.json.url, 'tess', 'Tess Therapist');
  const patientInvite = await callApi(server.base, 'clinic/invite-patient', therapist, { display_name: 'Pat Patient' });
  const patient = await redeem(server.base, patientInvite.json.url, patientName, 'Pat Patient');
  return { admin: admin.cookie, therapist, patient, patientName };
}

/** Puts a session cookie (`name=value`) into a browser context. */
export async function useSession(context, base, cookie) {
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: base, httpOnly: true, sameSite: 'Lax' }]);
}

/** The check-ins the server holds for the patient with this session cookie. */
export async function serverEntries(base, cookie) {
  const r = await callApi(base, 'entries/list', cookie);
  if (r.status !== 200) throw new Error(`list failed: ${r.status}`);
  return r.json;
}

/** Waits until the page is hydrated (the save button only enables once the wasm runs). */
export async function waitForHydration(page) {
  await page.getByRole('button', { name: 'Save check-in' }).waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Save check-in'));
    return button && !button.disabled;
  });
}

/** Waits until a service worker controls the page. */
export async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, {
    timeout: 30_000,
  });
}

/** Fills and saves one check-in. */
export async function submitCheckIn(page, { anxiety, mood = 'Okay', sleep = '7.5', note = '' }) {
  const anxietyGroup = page.getByRole('group', { name: 'How anxious do you feel right now?' });
  await anxietyGroup.getByRole('radio', { name: String(anxiety), exact: true }).check();
  await page.getByRole('group', { name: 'How is your mood?' }).getByRole('radio', { name: mood, exact: true }).check();
  await page.getByLabel('How many hours did you sleep last night?').fill(sleep);
  if (note) await page.getByLabel('Anything you want to note? (optional)').fill(note);
  await page.getByRole('button', { name: 'Save check-in' }).click();
  await page.getByTestId('form-message').filter({ hasText: 'Saved on this phone' }).waitFor();
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}
