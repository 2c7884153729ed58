// Plays the user in a REAL headless Chromium (Debian's /usr/bin/chromium through playwright-core) on
// oidc-provider's dev login and consent pages, for tests/it/peer.rs.
//
//   node browser.mjs <authorization URL, or the login's start address that redirects to it>
//
// Environment:
//   PEER_DECISION    approve (default) or deny (the "[ Cancel ]" link: the provider answers access_denied)
//   PEER_SCREENSHOT  a path for a PNG screenshot of the final page (the CLI's loopback listener page)
//   PEER_FINAL_TEXT  a path to write the final page's text to
//   PEER_HAR         a path for a HAR 1.2 file of the browser's exchanges (Playwright's recordHar,
//                    bodies embedded), written when the browser closes: what a partner exports from
//                    the developer tools, for `decode-token --har`
// Only loopback is contacted: every other request is aborted (the dev pages @import Google Fonts).
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const url = process.argv[2];
const decision = process.env.PEER_DECISION || 'approve';
const log = (...args) => console.log(new Date().toISOString(), ...args);

const profile = mkdtempSync(join(tmpdir(), 'peer-chromium-'));
let context;
let code = 0;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ...(process.env.PEER_HAR ? { recordHar: { path: `${process.env.PEER_HAR}.tmp.har`, content: 'embed' } } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1') return route.continue();
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  log('goto', url.split('?')[0]);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  // The provider is where the address led: `login` opens its listener's short start address,
  // which redirects to the provider's authorization endpoint.
  const provider = new URL(page.url());
  const isProvider = () => new URL(page.url()).host === provider.host;

  // Login page (any username), then the consent page.
  for (let step = 0; step < 4 && isProvider(); step += 1) {
    const login = page.locator('input[name="login"]');
    const consent = page.locator('input[name="prompt"][value="consent"]');
    if (await login.count()) {
      log('login page');
      if (decision === 'deny-login') {
        await Promise.all([page.waitForNavigation(), page.getByText('[ Cancel ]').click()]);
        continue;
      }
      await login.fill('peer-user');
      await page.locator('input[name="password"]').fill('any');
      await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').click()]);
    } else if (await consent.count()) {
      log('consent page:', (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300));
      if (decision === 'deny') {
        await Promise.all([page.waitForNavigation(), page.getByText('[ Cancel ]').click()]);
      } else {
        await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').click()]);
      }
    } else {
      log('unexpected provider page:', (await page.locator('body').innerText()).slice(0, 500));
      code = 1;
      break;
    }
  }

  // The CLI's loopback listener.
  await page.waitForURL((u) => u.host !== provider.host, { timeout: 20_000 });
  await page.waitForLoadState('load');
  const text = await page.locator('body').innerText().catch(() => '');
  log('final page', page.url().split('?')[0], JSON.stringify(text.slice(0, 300)));
  // Written to a temporary name, then renamed: the test polls for the final names.
  if (process.env.PEER_SCREENSHOT) {
    const shot = process.env.PEER_SCREENSHOT;
    await page.screenshot({ path: `${shot}.tmp.png`, fullPage: true });
    renameSync(`${shot}.tmp.png`, shot);
    log('screenshot', process.env.PEER_SCREENSHOT);
  }
  if (process.env.PEER_FINAL_TEXT) {
    writeFileSync(`${process.env.PEER_FINAL_TEXT}.tmp`, text);
    renameSync(`${process.env.PEER_FINAL_TEXT}.tmp`, process.env.PEER_FINAL_TEXT);
  }
} catch (e) {
  log('error', e?.stack ?? e);
  code = 1;
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  // Renamed once complete: the test polls for the final name.
  if (process.env.PEER_HAR) {
    try {
      renameSync(`${process.env.PEER_HAR}.tmp.har`, process.env.PEER_HAR);
      log('har', process.env.PEER_HAR);
    } catch (e) {
      log('no har', e?.message ?? e);
    }
  }
}
process.exit(code);
