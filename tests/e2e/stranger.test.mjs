// Browser test of the "talk to a stranger" page (/stranger.html): two people in their own
// browser contexts look for a stranger, get matched with each other, chat both ways, one
// ends the chat and the other sees it; then both find each other again with "Next".
//
//   PARLEY_BIN=/path/to/parley node --test tests/e2e/stranger.test.mjs
//
// A screenshot of each page is written to tests/e2e/out/.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  OUT_DIR, WAIT_MS, launchBrowser, openPerson, startServer, stopServer,
} from './harness.mjs';

const XSS = '<img src=x onerror=alert(1)>';
const VIEWPORT = { width: 900, height: 720 };

async function lastMessage(page) {
  return page.locator('#s-log .s-msg').last().textContent();
}

describe('talk to a stranger', () => {
  let server;
  let browser;
  let ann;
  let ben;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ann = await openPerson(browser, 'ann', VIEWPORT);
    ben = await openPerson(browser, 'ben', VIEWPORT);
  });

  after(async () => {
    await browser?.close();
    stopServer(server);
  });

  it('is one click away from the landing page', async () => {
    await ann.page.goto(`${server.url}/`);
    await ann.page.click('text=talk to a stranger');
    await ann.page.locator('#s-search').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match(ann.page.url(), /\/stranger\.html$/);
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
