// Shared helpers for the browser tests: start and stop the real release server on a loopback
// port with its own data folder, and launch Debian's chromium through playwright-core.
import { spawn } from 'node:child_process';
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
export async function startServer({ port, dataDir, siteRoot = SITE_ROOT }) {
  const child = spawn(BIN, ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--site-root', siteRoot], {
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

/** The check-ins the server holds for the (demo) patient. */
export async function serverEntries(base) {
  const res = await fetch(`${base}/api/entries/list`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
  if (!res.ok) throw new Error(`list failed: ${res.status}`);
  return res.json();
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
