// Browser test of the chat page on the native protocol: two people in one room see each
// other typing, react, reply, edit, delete, and see who has read what.
//
//   PARLEY_BIN=/path/to/parley node --test tests/e2e/features.test.mjs
//
// Screenshots are written to tests/e2e/out/features-*.png.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  LAPTOP, OUT_DIR, PHONE, WAIT_MS, launchBrowser, messageAction, messageItem, openChat,
  openPerson, send, startServer, stopServer, waitForMessage,
} from './harness.mjs';

const ROOM = 'e2e-features';
const FIRST = 'hello from alice';
const EDITED = 'hello from alice, edited';
const REPLY = 'a reply from bob';

async function waitText(page, selector, text) {
  await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent === t,
    [selector, text], { timeout: WAIT_MS });
}

// A screenshot with transitions finished, so hover toolbars are fully drawn.
async function shot(page, file) {
  await page.screenshot({ path: join(OUT_DIR, file), animations: 'disabled' });
}

// Waits until the message whose text is `body` shows `want` ({count, mine}, or null for no
// chip) for `emoji`.
async function waitReaction(page, body, emoji, want) {
  await page.waitForFunction(([b, e, w]) => {
    const li = [...document.querySelectorAll('#message-list .message')]
      .find((item) => item.querySelector('.body')?.textContent === b);
    const chip = [...(li?.querySelectorAll('.reactions .reaction') ?? [])]
      .find((c) => c.dataset.emoji === e);
    const got = chip ? {
      count: Number(chip.querySelector('.reaction-count').textContent),
      mine: chip.classList.contains('mine'),
    } : null;
    return JSON.stringify(got) === JSON.stringify(w);
  }, [body, emoji, want], { timeout: WAIT_MS });
}

describe('chat features', () => {
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

  it('shows who is typing to the others, until they send', async () => {
    await alice.page.fill('#message-input', 'hel');
    await waitText(bob.page, '#typing', 'alice is typing…');
    assert.equal(await alice.page.textContent('#typing'), '');  // not shown to oneself
    await send(alice.page, FIRST);
    await waitForMessage(bob.page, FIRST);
    await waitText(bob.page, '#typing', '');
  });

  it('toggles reactions, counted on both pages', async () => {
    await messageAction(bob.page, FIRST, '.react-pick[data-emoji="👍"]');
    await waitReaction(bob.page, FIRST, '👍', { count: 1, mine: true });
    await waitReaction(alice.page, FIRST, '👍', { count: 1, mine: false });

    await messageItem(alice.page, FIRST).locator('.reaction[data-emoji="👍"]').click();
    await waitReaction(alice.page, FIRST, '👍', { count: 2, mine: true });
    await waitReaction(bob.page, FIRST, '👍', { count: 2, mine: true });

    await messageItem(bob.page, FIRST).locator('.reaction[data-emoji="👍"]').click();
    await waitReaction(bob.page, FIRST, '👍', { count: 1, mine: false });
    await waitReaction(alice.page, FIRST, '👍', { count: 1, mine: true });

    await messageItem(alice.page, FIRST).locator('.reaction[data-emoji="👍"]').click();
    await waitReaction(alice.page, FIRST, '👍', null);
    await waitReaction(bob.page, FIRST, '👍', null);

    await messageAction(alice.page, FIRST, '.react-pick[data-emoji="❤️"]');
    await waitReaction(bob.page, FIRST, '❤️', { count: 1, mine: false });
  });

  it('replies with a quote of the original', async () => {
    await messageAction(bob.page, FIRST, '[data-action="reply"]');
    await waitText(bob.page, '#context-label', 'Replying to alice');
    await bob.page.fill('#message-input', REPLY);
    await shot(bob.page, 'features-replying.png');
    await bob.page.press('#message-input', 'Enter');
    for (const person of [alice, bob]) {
      await waitForMessage(person.page, REPLY);
      const quote = messageItem(person.page, REPLY).locator('.quote');
      assert.equal(await quote.locator('.quote-author').textContent(), 'alice');
      assert.equal(await quote.locator('.quote-text').textContent(), FIRST);
    }
    assert.equal(await bob.page.isHidden('#composer-context'), true);
  });

  it('edits and deletes one\'s own messages, on both pages', async () => {
    // Only the author gets the buttons.
    assert.equal(await messageItem(bob.page, FIRST).locator('[data-action="edit"]').count(), 0);
    assert.equal(await messageItem(alice.page, REPLY).locator('[data-action="delete"]').count(), 0);

    await messageAction(alice.page, FIRST, '[data-action="edit"]');
    assert.equal(await alice.page.inputValue('#message-input'), FIRST);
    await waitText(alice.page, '#context-label', 'Editing your message');
    await send(alice.page, EDITED);
    for (const person of [alice, bob]) {
      await waitForMessage(person.page, EDITED);
      assert.equal(await messageItem(person.page, EDITED).locator('.edited').textContent(),
        '(edited)');
      await waitText(person.page, '#message-list .message[data-reply-to] .quote-text', EDITED);
    }
    assert.equal(await alice.page.inputValue('#message-input'), '');
    await alice.page.screenshot({ path: join(OUT_DIR, 'features-laptop.png') });

    const seq = await messageItem(alice.page, EDITED).getAttribute('data-seq');
    await messageAction(alice.page, EDITED, '[data-action="delete"]');
    await messageItem(alice.page, EDITED).locator('[data-action="delete"].armed').click();
    for (const person of [alice, bob]) {
      const item = person.page.locator(`#message-list .message[data-seq="${seq}"]`);
      await waitText(person.page, `#message-list .message[data-seq="${seq}"] .body`,
        'message deleted');
      assert.equal(await item.evaluate((li) => li.classList.contains('deleted')), true);
      assert.equal(await item.locator('.reactions, .edited, .actions').count(), 0);
      await waitText(person.page, '#message-list .message[data-reply-to] .quote-text',
        'message deleted');
    }
  });

  it('shows how far the others have read', async () => {
    await send(bob.page, 'read up to here');
    await waitForMessage(alice.page, 'read up to here');
    await send(alice.page, 'and this one');
    await waitForMessage(bob.page, 'and this one');
    // Bob's page is visible, so it reports reading alice's newest message.
    await alice.page.waitForFunction(
      () => [...document.querySelectorAll('#message-list .message')].at(-1)
        ?.querySelector('.seen')?.textContent === 'Seen by bob',
      null, { timeout: WAIT_MS });
    await bob.page.waitForFunction(
      () => [...document.querySelectorAll('#message-list .message .seen')]
        .map((el) => el.textContent).join('|') === 'Seen by alice',
      null, { timeout: WAIT_MS });
  });

  it('looks right with all of it, on a laptop and a phone', async () => {
    await bob.page.fill('#message-input', 'still thinking');
    await waitText(alice.page, '#typing', 'bob is typing…');
    await messageItem(alice.page, REPLY).locator('.body').hover();
    await shot(alice.page, 'features-laptop-actions.png');
    await alice.page.emulateMedia({ colorScheme: 'dark' });
    await shot(alice.page, 'features-laptop-dark.png');
    await alice.page.emulateMedia({ colorScheme: 'light' });

    const phone = await openPerson(browser, 'carol', PHONE, { hasTouch: true, isMobile: true });
    await openChat(phone, server.url, ROOM);
    await waitForMessage(phone.page, REPLY);
    // No hover on a touch screen: a tap on a message shows its actions.
    await messageItem(phone.page, REPLY).locator('.body').tap();
    await messageItem(phone.page, REPLY).locator('.actions [data-action="reply"]')
      .waitFor({ state: 'visible', timeout: WAIT_MS });
    await shot(phone.page, 'features-phone.png');
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0);
    await phone.context.close();
    await bob.page.fill('#message-input', '');

    for (const person of [alice, bob, phone]) {
      assert.deepEqual(person.errors, [], `${person.name}: uncaught errors`);
      assert.deepEqual(person.dialogs, [], `${person.name}: dialogs`);
    }
  });
});
