// Browser test of paging back: a room with 130 messages opens on the newest page, and
// "Load older messages" brings the rest, in order, once each, until there is no more.
//
//   PARLEY_BIN=/path/to/parley node --test tests/e2e/history.test.mjs
//
// Screenshots are written to tests/e2e/out/history-*.png.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  OUT_DIR, WAIT_MS, launchBrowser, messagesOn, openChat, openPerson, postMessages,
  startServer, stopServer, waitForMessage,
} from './harness.mjs';

const ROOM = 'e2e-history';
const COUNT = 130;

describe('loading older messages', () => {
  let server;
  let browser;
  let alice;

  before(async () => {
    // The test seeds 130 messages at once, a flood by parley's default message rate.
    server = await startServer(['--rate-message-burst', '1000']);
    browser = await launchBrowser();
    alice = await openPerson(browser, 'alice');
  });

  after(async () => {
    await browser?.close();
    stopServer(server);
  });

  it('pages back through every message, in order', async () => {
    const texts = Array.from({ length: COUNT }, (_, i) => `message ${i + 1}`);
    const seqs = await postMessages(browser, server.url, { username: 'bob', room: ROOM, texts });
    assert.equal(seqs.length, COUNT);

    await openChat(alice, server.url, ROOM);
    await waitForMessage(alice.page, `message ${COUNT}`);
    const first = await messagesOn(alice.page);
    assert.ok(first.length < COUNT, `the first page has ${first.length} messages`);
    assert.equal(first.at(-1).body, `message ${COUNT}`);
    assert.equal(await alice.page.isVisible('#load-older'), true);
    await alice.page.evaluate(() => { document.getElementById('messages').scrollTop = 0; });
    await alice.page.screenshot({ path: join(OUT_DIR, 'history-top.png') });

    let shown = first.length;
    for (let pages = 0; await alice.page.isVisible('#load-older'); pages += 1) {
      assert.ok(pages < 10, 'the button never went away');
      await alice.page.click('#load-older');
      await alice.page.waitForFunction(
        (before) => document.querySelectorAll('#message-list .message').length > before ||
                    document.querySelector('#load-older').hidden,
        shown, { timeout: WAIT_MS });
      await alice.page.waitForSelector('#load-older:not([disabled])',
        { state: 'attached', timeout: WAIT_MS });
      shown = await alice.page.locator('#message-list .message').count();
    }
    await alice.page.mouse.move(0, 0);
    await alice.page.evaluate(() => { document.getElementById('messages').scrollTop = 0; });
    await alice.page.screenshot({ path: join(OUT_DIR, 'history-all.png') });

    const all = await messagesOn(alice.page);
    assert.deepEqual(all.map((m) => m.body), texts);
    assert.deepEqual(all.map((m) => m.seq), texts.map((_, i) => i + 1));
    assert.deepEqual(alice.errors, []);
  });
});
