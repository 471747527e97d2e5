// Accessibility: an axe-core scan of each patient page at phone size, 44 px targets, 16 px
// text, keyboard reachability of the crisis link, and screenshots to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  freePort, tempDir, startServer, stopServer, launchPhone, waitForHydration, screenshotPath, setUpClinic, useSession,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const PAGES = ['/', '/check-in', '/prepare', '/prepare/dissociation', '/practice', '/history', '/crisis', '/offline', '/account', '/sign-in'];

let server;
let dataDir;
let phone;
let clinic;

before(async () => {
  dataDir = tempDir('data');
  server = await startServer({ port: await freePort(), dataDir });
  // bypassCSP only so the test can inject axe; the app itself never needs it.
  phone = await launchPhone({ bypassCSP: true });
  clinic = await setUpClinic(server, dataDir);
  await useSession(phone.context, server.base, clinic.patient);
});

after(async () => {
  await phone?.close();
  if (server) await stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

for (const scheme of ['light', 'dark']) {
  test(`every patient page passes axe (WCAG 2.1 AA) in the ${scheme} scheme`, async () => {
    const page = await phone.context.newPage();
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    for (const path of PAGES) {
      await page.goto(`${server.base}${path}`);
      await page.waitForLoadState('networkidle');
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })
      );
      const problems = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(problems, [], `${path} (${scheme})`);
      await page.screenshot({ path: screenshotPath(`${scheme}${path === '/' ? '-today' : path.replaceAll('/', '-')}`), fullPage: true });
    }
    await page.close();
  });
}

test('touch targets are at least 44 px and text at least 16 px', async () => {
  const page = await phone.context.newPage();
  await page.goto(`${server.base}/check-in`);
  await waitForHydration(page);
  const small = await page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll('a, button, input, textarea, select, label.choice')) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || box.width === 0) continue;
      if (el.matches('.choice input, .skip-link')) continue; // the label is the target
      if (box.height < 44 || box.width < 44) found.push(`${el.tagName} "${el.textContent.trim().slice(0, 20)}" ${box.width}x${box.height}`);
    }
    for (const el of document.querySelectorAll('p, span, a, button, label, legend, li, input, textarea')) {
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (el.closest('.visually-hidden')) continue;
      if (size < 16) found.push(`${el.tagName} "${el.textContent.trim().slice(0, 20)}" ${size}px`);
    }
    return found;
  });
  assert.deepEqual(small, []);
  await page.close();
});

test('the crisis link is the first thing a keyboard reaches after the skip link', async () => {
  const page = await phone.context.newPage();
  await page.goto(`${server.base}/check-in`);
  await waitForHydration(page);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to main content');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Need help now?');
  await page.close();
});
