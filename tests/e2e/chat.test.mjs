// Browser test: the real parley binary and its embedded UI, driven through headless
// Chromium. Two people (alice, bob) in their own browser contexts join one room through
// the landing page, see each other, talk both ways, reload, and try to inject HTML.
//
//   PARLEY_BIN=/path/to/parley node --test tests/e2e/chat.test.mjs
//
// Screenshots (laptop and phone size) are written to tests/e2e/out/.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  LAPTOP, OUT_DIR, PHONE, WAIT_MS, launchBrowser, messagesOn, openPerson, send, startServer,
  stopServer, waitConnected, waitForMessage,
} from './harness.mjs';

const ROOM = 'e2e-lobby';
const XSS = '<img src=x onerror=alert(1)>';

// Joins through the landing page, as a person would.
async function joinRoom(person, baseUrl) {
  const { page } = person;
  await page.goto(`${baseUrl}/`);
  await page.fill('#username', person.name);
  await page.fill('#room', ROOM);
  await page.click('#join-form button[type=submit]');
  await page.waitForURL((url) => url.pathname === '/chat.html', { timeout: WAIT_MS });
  await waitConnected(page);
}

async function peopleOnline(page) {
  return page.$$eval('#people-list .person', (items) => items.map((li) => li.dataset.username));
}

async function waitForPerson(page, name, present = true) {
  await page.waitForFunction(
    ([n, want]) => !!document.querySelector(`#people-list .person[data-username="${n}"]`) === want,
    [name, present], { timeout: WAIT_MS });
}

describe('parley web UI', () => {
  let server;
  let browser;
  let alice;
  let bob;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    alice = await openPerson(browser, 'alice', LAPTOP);
    bob = await openPerson(browser, 'bob', PHONE);
  });

  after(async () => {
    await browser?.close();
    stopServer(server);  // kills parley only when the shutdown test did not run
  });

  it('shows each person the other in the people list', async () => {
    await joinRoom(alice, server.url);
    await joinRoom(bob, server.url);
    await waitForPerson(alice.page, 'bob');
    await waitForPerson(bob.page, 'alice');
    assert.deepEqual((await peopleOnline(alice.page)).sort(), ['alice', 'bob']);
    assert.deepEqual((await peopleOnline(bob.page)).sort(), ['alice', 'bob']);
    assert.equal(await alice.page.textContent('#people-count'), '2');
    assert.equal(await alice.page.textContent('#room-name'), ROOM);
  });

  it('remembers the name on the landing page', async () => {
    const stored = await alice.page.evaluate(() => localStorage.getItem('parley.username'));
    assert.equal(stored, 'alice');
  });

  it('delivers messages both ways with the right author', async () => {
    await send(alice.page, 'hello bob');
    await waitForMessage(bob.page, 'hello bob');
    await send(bob.page, 'hi alice, from my phone', { withButton: true });
    await waitForMessage(alice.page, 'hi alice, from my phone');
    await waitForMessage(bob.page, 'hi alice, from my phone');

    const expected = [
      { author: 'alice', body: 'hello bob' },
      { author: 'bob', body: 'hi alice, from my phone' },
    ];
    for (const person of [alice, bob]) {
      const shown = await messagesOn(person.page);
      assert.deepEqual(shown.map(({ author, body }) => ({ author, body })), expected);
      // Own messages are the ones marked as such, on each side.
      assert.deepEqual(shown.map((m) => m.own), expected.map((m) => m.author === person.name));
    }
    assert.equal(await alice.page.inputValue('#message-input'), '');
  });

  it('shows the history again after a reload, once', async () => {
    await bob.page.reload();
    await waitConnected(bob.page);
    await waitForMessage(bob.page, 'hi alice, from my phone');
    const shown = await messagesOn(bob.page);
    assert.deepEqual(shown.map((m) => m.body), ['hello bob', 'hi alice, from my phone']);
    await waitForPerson(bob.page, 'alice');
  });

  it('shows HTML in a message as literal text', async () => {
    await send(alice.page, XSS);
    for (const person of [alice, bob]) {
      await waitForMessage(person.page, XSS);
      const bodies = (await messagesOn(person.page)).map((m) => m.body);
      assert.equal(bodies.at(-1), XSS);
      assert.equal(await person.page.$$eval('#message-list img', (imgs) => imgs.length), 0);
    }
    // Rendered again from history: still text.
    await alice.page.reload();
    await waitConnected(alice.page);
    await waitForMessage(alice.page, XSS);
    assert.equal(await alice.page.$$eval('img', (imgs) => imgs.length), 0);
    // A message sent after the payload has been through both pages' event loops: any
    // onerror handler would have run by now.
    await send(bob.page, 'after the payload', { withButton: true });
    await waitForMessage(alice.page, 'after the payload');
    assert.deepEqual(alice.dialogs, []);
    assert.deepEqual(bob.dialogs, []);
  });

  it('counts a second tab of one person as one person', async () => {
    const secondTab = await alice.context.newPage();  // same storage: the name is known
    await secondTab.goto(`${server.url}/chat.html?room=${ROOM}`);
    await waitConnected(secondTab);
    const aliceOnBob = '#people-list .person[data-username="alice"] .tabs';
    // Bob is on a phone, where the list is folded away: present in the page is enough.
    await bob.page.waitForSelector(aliceOnBob, { state: 'attached', timeout: WAIT_MS });
    assert.equal(await bob.page.textContent(aliceOnBob), '×2');
    assert.equal(await bob.page.textContent('#people-count'), '2');

    await secondTab.close();
    await bob.page.waitForSelector(aliceOnBob, { state: 'detached', timeout: WAIT_MS });
    assert.deepEqual((await peopleOnline(bob.page)).sort(), ['alice', 'bob']);
  });

  it('explains a message that is too long, in a notice that can be dismissed', async () => {
    const tooLong = 'é'.repeat(2100);  // 4200 bytes of UTF-8, 2100 characters
    await send(alice.page, tooLong);
    const notice = alice.page.locator('#notices .notice');
    await notice.waitFor({ timeout: WAIT_MS });
    assert.match(await notice.textContent(), /4096 bytes/);
    assert.equal(await alice.page.inputValue('#message-input'), tooLong);  // kept to edit
    await notice.locator('.notice-close').click();
    await notice.waitFor({ state: 'detached', timeout: WAIT_MS });
    await alice.page.fill('#message-input', '');
  });

  it('checks names and rooms on the landing page before joining', async () => {
    const page = await browser.newPage({ viewport: LAPTOP });
    await page.goto(`${server.url}/`);
    await page.fill('#username', 'x'.repeat(33));
    await page.fill('#room', 'no spaces here');
    await page.click('#join-form button[type=submit]');
    assert.match(await page.textContent('#username-error'), /at most 32 characters/);
    assert.match(await page.textContent('#room-error'), /letters, digits/);
    assert.equal(new URL(page.url()).pathname, '/');
    await page.close();
  });

  it('looks right on a laptop and a phone', async () => {
    await alice.page.screenshot({ path: join(OUT_DIR, 'chat-laptop.png') });
    await bob.page.screenshot({ path: join(OUT_DIR, 'chat-phone.png') });
    await bob.page.click('#people-toggle');
    await bob.page.waitForSelector('#people-list .person[data-username="alice"]',
      { state: 'visible', timeout: WAIT_MS });
    await bob.page.screenshot({ path: join(OUT_DIR, 'chat-phone-people.png') });
    await bob.page.click('#people-toggle');

    // Nothing may stick out sideways on the phone.
    const overflow = await bob.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0);

    const landing = await browser.newPage({ viewport: PHONE });
    await landing.goto(`${server.url}/`);
    await landing.screenshot({ path: join(OUT_DIR, 'landing-phone.png') });
    await landing.close();
  });

  it('shows a person leaving', async () => {
    await bob.context.close();
    await waitForPerson(alice.page, 'bob', false);
    assert.deepEqual(await peopleOnline(alice.page), ['alice']);
    assert.deepEqual(alice.errors, []);
    assert.deepEqual(bob.errors, []);
  });

  it('stops cleanly on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    const deadline = setTimeout(() => server.child.kill('SIGKILL'), 10000);
    const [code, signal] = await server.exit;
    clearTimeout(deadline);
    assert.equal(signal, null, `parley was killed by ${signal}:\n${server.stderr}`);
    assert.equal(code, 0, `parley exited with ${code}:\n${server.stderr}`);
    // The page notices the server is gone.
    await alice.page.waitForSelector(
      '#conn-state[data-state="reconnecting"], #conn-state[data-state="connecting"]',
      { timeout: WAIT_MS });
  });
});
