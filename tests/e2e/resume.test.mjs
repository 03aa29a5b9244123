// Browser test of resuming: alice's page talks to parley through a TCP proxy that cuts her
// connection for real. While she is away bob keeps posting and she writes a message; when
// she is back every message shows exactly once, in order, with no seq missing.
//
//   PARLEY_BIN=/path/to/parley node --test tests/e2e/resume.test.mjs
//
// Screenshots are written to tests/e2e/out/resume-*.png.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  OUT_DIR, WAIT_MS, launchBrowser, messagesOn, openChat, openPerson, postMessages, send,
  startProxy, startServer, stopServer, waitConnected, waitForMessage,
} from './harness.mjs';

const ROOM = 'e2e-resume';

// Every message once, in seq order, no seq skipped, nothing left pending.
function assertWhole(shown, label) {
  assert.deepEqual(shown.filter((m) => m.pending), [], `${label}: pending messages`);
  const seqs = shown.map((m) => m.seq);
  const first = seqs[0];
  assert.deepEqual(seqs, seqs.map((_, i) => first + i), `${label}: seqs ${seqs}`);
  const bodies = shown.map((m) => m.body);
  assert.equal(new Set(bodies).size, bodies.length, `${label}: a message shown twice`);
}

describe('resuming after a dropped connection', () => {
  let server;
  let proxy;
  let browser;
  let alice;
  let bob;
  const expected = [];  // bodies in the order everyone should see them

  before(async () => {
    server = await startServer();
    proxy = await startProxy(server.url);
    browser = await launchBrowser();
    alice = await openPerson(browser, 'alice');
    bob = await openPerson(browser, 'bob');
    await openChat(alice, proxy.url, ROOM);
    await openChat(bob, server.url, ROOM);
  });

  after(async () => {
    await browser?.close();
    proxy?.close();
    stopServer(server);
  });

  it('shows what was missed once, and sends what was written while away', async () => {
    for (const text of ['before 1', 'before 2']) {
      await send(bob.page, text);
      expected.push(text);
    }
    await waitForMessage(alice.page, 'before 2');

    proxy.refusing = true;
    proxy.cut();
    await alice.page.waitForSelector('#conn-state[data-state="reconnecting"]',
      { timeout: WAIT_MS });
    assert.equal(await alice.page.textContent('#conn-text'), 'Reconnecting…');

    await send(alice.page, 'written while away');
    await alice.page.waitForSelector('#message-list .message.pending .status',
      { timeout: WAIT_MS });
    for (let i = 1; i <= 5; i += 1) {
      await send(bob.page, `missed ${i}`);
      expected.push(`missed ${i}`);
    }
    await waitForMessage(bob.page, 'missed 5');
    await alice.page.screenshot({ path: join(OUT_DIR, 'resume-away.png'), animations: 'disabled' });

    proxy.refusing = false;
    await waitConnected(alice.page);
    expected.push('written while away');
    await waitForMessage(alice.page, 'written while away');
    await waitForMessage(bob.page, 'written while away');

    for (const person of [alice, bob]) {
      const shown = await messagesOn(person.page);
      assert.deepEqual(shown.map((m) => m.body), expected, person.name);
      assertWhole(shown, person.name);
    }
  });

  it('shows a message once when its acknowledgement was lost with the connection',
    async () => {
      proxy.blackholing = true;  // the server gets alice's message, she hears nothing back
      await send(alice.page, 'ack lost');
      await waitForMessage(bob.page, 'ack lost');
      assert.equal(await alice.page.locator('#message-list .message.pending').count(), 1);
      proxy.cut();
      proxy.blackholing = false;
      expected.push('ack lost');
      await send(bob.page, 'after the drop');
      expected.push('after the drop');
      await waitConnected(alice.page);
      await waitForMessage(alice.page, 'after the drop');
      await waitForMessage(alice.page, 'ack lost');
      for (const person of [alice, bob]) {
        const shown = await messagesOn(person.page);
        assert.deepEqual(shown.map((m) => m.body), expected, person.name);
        assertWhole(shown, person.name);
      }
      await alice.page.screenshot({ path: join(OUT_DIR, 'resume-back.png') });
    });

  it('starts over from the server\'s page when it cannot replay', async () => {
    // A server that never had alice's messages: her resume point is past its newest seq.
    const fresh = await startServer();
    try {
      await postMessages(browser, fresh.url,
        { username: 'carol', room: ROOM, texts: ['on the new server'] });
      proxy.target = fresh.url;
      proxy.cut();
      await alice.page.waitForFunction(
        () => [...document.querySelectorAll('#message-list .message .body')]
          .map((el) => el.textContent).join('|') === 'on the new server',
        null, { timeout: WAIT_MS });
      await waitConnected(alice.page);
      await send(alice.page, 'hello new server');
      await waitForMessage(alice.page, 'hello new server');
      const shown = await messagesOn(alice.page);
      assert.deepEqual(shown.map((m) => m.body), ['on the new server', 'hello new server']);
      assertWhole(shown, 'alice');
      assert.deepEqual(alice.errors, []);
    } finally {
      proxy.target = server.url;
      stopServer(fresh);
    }
  });
});
