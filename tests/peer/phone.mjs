// Plays the user's phone in a REAL headless Chromium on the sandbox's CIBA phone page, for
// tests/it/peer_ciba.rs: opens what the QR code encodes, picks a persona and "scans", then waits for
// the backchannel request on the phone's list and approves (or denies) it.
//
//   node phone.mjs <phone page URL>
//
// Environment: PHONE_DECISION approve (default) or deny; PHONE_PERSONA a persona id (default: the
// page's first); PHONE_TEXT a file to write the final page's text to. Only loopback is contacted.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const url = process.argv[2];
const decision = process.env.PHONE_DECISION || 'approve';
const log = (...args) => console.log(new Date().toISOString(), 'phone:', ...args);

const profile = mkdtempSync(join(tmpdir(), 'phone-chromium-'));
let context;
let code = 0;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' ? route.continue() : route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  log('goto', url);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  if (process.env.PHONE_PERSONA) await page.selectOption('#persona', process.env.PHONE_PERSONA);
  await Promise.all([page.waitForNavigation(), page.click('#scan')]);
  log('scanned; waiting for the request on', page.url());
  // The list reloads itself every 2 s until the partner's backchannel request comes.
  await page.waitForSelector(`#${decision}`, { timeout: 60_000 });
  log('request:', (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300));
  await Promise.all([page.waitForNavigation(), page.click(`#${decision}`)]);
  const text = await page.locator('body').innerText().catch(() => '');
  log('after', decision, JSON.stringify(text.slice(0, 200)));
  if (process.env.PHONE_TEXT) {
    writeFileSync(`${process.env.PHONE_TEXT}.tmp`, text);
    renameSync(`${process.env.PHONE_TEXT}.tmp`, process.env.PHONE_TEXT);
  }
} catch (e) {
  log('error', e?.stack ?? e);
  code = 1;
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
