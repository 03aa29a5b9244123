// Browser test of images in the chat page: alice sends one image by picking a file and
// another by pasting it into the message box; bob, in another browser context, sees both
// load. A page disguised as an image is refused with a notice.
//
//   PARLEY_BIN=/path/to/parley node --test tests/e2e/uploads.test.mjs
//
// Screenshots are written to tests/e2e/out/uploads-*.png.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  LAPTOP, OUT_DIR, WAIT_MS, launchBrowser, openChat, openPerson, startServer, stopServer,
} from './harness.mjs';

const ROOM = 'e2e-uploads';
// Two different 1x1 PNGs (red and blue), so each upload has its own id.
const RED = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';
const BLUE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/5ncLrgAAAABJRU5ErkJggg==';

// The src of every confirmed image on `page` once it has loaded, waiting for `count`.
async function loadedImages(page, count) {
  await page.waitForFunction((n) => [...document.querySelectorAll(
    '#message-list .message:not(.pending) img.attachment')]
    .filter((img) => img.complete && img.naturalWidth === 1).length >= n,
  count, { timeout: WAIT_MS });
  return page.$$eval('#message-list .message:not(.pending) img.attachment',
    (imgs) => imgs.map((img) => new URL(img.src).pathname));
}

describe('chat images', () => {
  let server;
  let browser;
  let alice;
  let bob;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    alice = await openPerson(browser, 'alice', LAPTOP);
    bob = await openPerson(browser, 'bob', LAPTOP);
    await openChat(alice, server.url, ROOM);
    await openChat(bob, server.url, ROOM);
  });

  after(async () => {
    await browser?.close();
    stopServer(server);
  });

  it('sends a picked image that the other page shows', async () => {
    await alice.page.setInputFiles('#file-input',
      { name: 'red.png', mimeType: 'image/png', buffer: Buffer.from(RED, 'base64') });
    const seen = await loadedImages(bob.page, 1);
    assert.equal(seen.length, 1);
    assert.match(seen[0], /^\/files\/[0-9a-f]{64}$/);
    assert.deepEqual(await loadedImages(alice.page, 1), seen);
    await bob.page.screenshot({ path: join(OUT_DIR, 'uploads-picked.png') });
  });

  it('sends a pasted image that the other page shows', async () => {
    await alice.page.focus('#message-input');
    await alice.page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      document.getElementById('message-input').dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, BLUE);
    const seen = await loadedImages(bob.page, 2);
    assert.equal(seen.length, 2);
    assert.notEqual(seen[0], seen[1], 'a different image has a different id');
    assert.equal(await alice.page.inputValue('#message-input'), '', 'no text was pasted');
    await bob.page.screenshot({ path: join(OUT_DIR, 'uploads-pasted.png') });
  });

  it('refuses a page disguised as an image', async () => {
    await alice.page.setInputFiles('#file-input', {
      name: 'cat.png', mimeType: 'image/png',
      buffer: Buffer.from('<!doctype html><script>alert(1)</script>'),
    });
    await alice.page.waitForFunction(
      () => document.getElementById('notices').textContent.includes('not an accepted image'),
      null, { timeout: WAIT_MS });
    assert.equal((await loadedImages(bob.page, 2)).length, 2, 'nothing new was sent');
    assert.deepEqual(alice.errors, []);
    assert.deepEqual(bob.errors, []);
  });
});
