// Browser test of the "talk to a stranger" page (/stranger.html): two people in their own
// browser contexts look for a stranger, get matched with each other, chat both ways, one
// ends the chat and the other sees it; then both find each other again with "Next".
//
//   PARLEY_BIN=/path/to/parley node --test tests/e2e/stranger.test.mjs
//
// A screenshot of each page is written to tests/e2e/out/.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = join(HERE, 'out');
const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
const WAIT_MS = 15000;  // deadline for anything the page should show
const XSS = '<img src=x onerror=alert(1)>';

async function startServer() {
  const bin = process.env.PARLEY_BIN;
  assert.ok(bin, 'PARLEY_BIN must name the parley binary');
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-stranger-'));
  const child = spawn(bin, ['--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, dataDir, stderr: '', url: null };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { server.stderr += chunk; });
  server.exit = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  server.url = await new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      const m = /^parley listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (m) resolve(m[1]);
    });
    child.on('exit', (code, signal) => reject(new Error(
      `parley exited (code ${code}, signal ${signal}) before listening:\n${server.stderr}`)));
    setTimeout(() => reject(new Error(`no listening line in 20 s:\n${server.stderr}`)),
      20000).unref();
  });
  return server;
}

async function openPerson(browser, name) {
  const context = await browser.newContext({ viewport: { width: 900, height: 720 } });
  const page = await context.newPage();
  const person = { name, context, page, dialogs: [], errors: [] };
  page.on('dialog', (d) => { person.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => person.errors.push(e.message));
  return person;
}

async function lastMessage(page) {
  return page.locator('#s-log .s-msg').last().textContent();
}

describe('talk to a stranger', () => {
  let server;
  let browser;
  let ann;
  let ben;

  before(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    ann = await openPerson(browser, 'ann');
    ben = await openPerson(browser, 'ben');
  });

  after(async () => {
    await browser?.close();
    if (server) {
      server.child.kill('SIGTERM');
      await server.exit;
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });

  it('matches two pages, they chat, one ends and the other sees it', async () => {
    for (const p of [ann, ben]) {
      await p.page.goto(`${server.url}/stranger.html`);
      await p.page.locator('#s-search').waitFor({ state: 'visible', timeout: WAIT_MS });
    }
    await ann.page.selectOption('#s-mode', 'text');
    await ann.page.click('#s-search');
    await ann.page.locator('#s-wait').waitFor({ state: 'visible', timeout: WAIT_MS });
    // Cancel works, and searching again puts Ann back in line.
    await ann.page.click('#s-cancel');
    await ann.page.locator('#s-search').waitFor({ state: 'visible', timeout: WAIT_MS });
    await ann.page.click('#s-search');
    await ann.page.locator('#s-wait').waitFor({ state: 'visible', timeout: WAIT_MS });

    await ben.page.click('#s-search');  // no filters: matches Ann's "text"
    for (const p of [ann, ben]) {
      await p.page.locator('#s-text').waitFor({ state: 'visible', timeout: WAIT_MS });
      await assert.doesNotReject(
        p.page.waitForFunction(() => !document.getElementById('s-text').disabled, null,
          { timeout: WAIT_MS }));
    }

    await ann.page.fill('#s-text', 'hello stranger');
    await ann.page.click('#s-send');
    await ben.page.waitForFunction(() => [...document.querySelectorAll('#s-log .s-msg')]
      .some((m) => m.textContent === 'hello stranger'), null, { timeout: WAIT_MS });
    await ben.page.fill('#s-text', XSS);
    await ben.page.press('#s-text', 'Enter');
    await ann.page.waitForFunction((x) => [...document.querySelectorAll('#s-log .s-msg')]
      .some((m) => m.textContent === x), XSS, { timeout: WAIT_MS });
    assert.equal(await lastMessage(ann.page), XSS);
    assert.equal(await ann.page.locator('#s-log img').count(), 0, 'text never becomes markup');

    await ann.page.screenshot({ path: join(OUT_DIR, 'stranger-chat.png') });

    await ben.page.click('#s-end');
    await ann.page.locator('#s-ended').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match(await ann.page.locator('#s-ended').textContent(), /stranger has left/);
    await ben.page.locator('#s-ended').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match(await ben.page.locator('#s-ended').textContent(), /You ended/);
    assert.equal(await ann.page.locator('#s-text').isDisabled(), true);
    await ann.page.screenshot({ path: join(OUT_DIR, 'stranger-ended.png') });

    // "Next" on both: they are the only two here, so they meet again.
    await ann.page.click('#s-next');
    await ben.page.click('#s-next');
    for (const p of [ann, ben]) {
      await p.page.waitForFunction(() => !document.getElementById('s-text').disabled, null,
        { timeout: WAIT_MS });
    }
    for (const p of [ann, ben]) {
      assert.deepEqual(p.dialogs, [], `${p.name} saw no dialog`);
      assert.deepEqual(p.errors, [], `${p.name} had no script errors`);
    }
  });
});
