// Browser test: script injection. Payloads that would call window.__pwned() if any part of
// the UI turned text into markup travel through chat messages, image URLs, usernames (the
// people list and the author line) and room names (the URL and the landing page). The test
// asserts __pwned is never called, that the page never even tried to run inline script (a
// Content-Security-Policy violation would mean markup got through and only the policy
// stopped it), and that the pages carry the policy.
//
//   PARLEY_BIN=/path/to/parley node --test tests/e2e/xss.test.mjs

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  WAIT_MS, launchBrowser, openChat, openPerson, send, startServer, stopServer, waitForMessage,
} from './harness.mjs';

const ROOM = 'xss-room';
const MESSAGE_PAYLOADS = [
  '<img src=x onerror="window.__pwned()">',
  '<script>window.__pwned()</script>',
  '<svg onload=window.__pwned()></svg>',
  '"><iframe srcdoc="<script>parent.__pwned()</script>">',
  '[click](javascript:window.__pwned())',
  'javascript:window.__pwned()',
];
// At most limits.max_username_chars (32) characters.
const NAME_PAYLOAD = '<img src=x onerror=__pwned()>';

// A person whose page reports every call of __pwned and every CSP violation to the test.
async function watchedPerson(browser, name, calls) {
  const person = await openPerson(browser, name);
  await person.context.exposeFunction('__pwned', () => { calls.pwned += 1; });
  await person.context.exposeFunction('__cspViolation', (what) => { calls.csp.push(what); });
  await person.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return person;
}

// Posts from a socket of the page's own, so fields the UI would never send get through.
async function postRaw(page, { username, room, frames }) {
  await page.evaluate(async ({ username, room, frames }) => {
    const ws = new WebSocket(`ws://${location.host}/v1/ws?${new URLSearchParams({ username })}`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('socket failed'));
    });
    let acked = 0;
    await new Promise((resolve, reject) => {
      ws.onmessage = (event) => {
        const f = JSON.parse(event.data);
        if (f.type === 'presence' && f.event === 'snapshot') {
          frames.forEach((frame, i) => ws.send(JSON.stringify(
            { type: 'message', room, clientId: `raw-${i}`, ...frame })));
        } else if (f.type === 'ack') {
          acked += 1;
          if (acked === frames.length) resolve();
        } else if (f.type === 'error') {
          reject(new Error(`${f.code}: ${f.message}`));
        }
      };
      ws.send(JSON.stringify({ type: 'join', room }));
    });
    ws.close();
  }, { username, room, frames });
}

describe('script injection', () => {
  let server;
  let browser;
  const calls = { pwned: 0, csp: [] };
  let alice;
  let mallory;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    alice = await watchedPerson(browser, 'alice', calls);
    mallory = await watchedPerson(browser, NAME_PAYLOAD, calls);
  });

  after(async () => {
    await browser?.close();
    stopServer(server);
  });

  it('serves the pages with a policy that forbids inline script', async () => {
    for (const path of ['/', '/chat.html', '/stranger.html']) {
      const response = await alice.page.goto(`${server.url}${path}`);
      const csp = response.headers()['content-security-policy'] || '';
      assert.match(csp, /script-src 'self'/, `${path}: ${csp}`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${path}: ${csp}`);
      assert.match(csp, /frame-ancestors 'none'/, `${path}: ${csp}`);
      assert.equal(response.headers()['x-frame-options'], 'DENY');
      assert.equal(response.headers()['x-content-type-options'], 'nosniff');
      assert.ok(response.headers()['referrer-policy'], `${path}: Referrer-Policy`);
    }
  });

  it('shows message payloads as text', async () => {
    await openChat(alice, server.url, ROOM);
    for (const text of MESSAGE_PAYLOADS) {
      await send(alice.page, text);
      await waitForMessage(alice.page, text);
    }
    // A field the UI does not send itself: image URLs with markup in them.
    await postRaw(alice.page, {
      username: 'bob',
      room: ROOM,
      frames: [
        { text: 'look', imageUrl: '/files/x" onerror="window.__pwned()' },
        { text: 'see', imageUrl: 'https://x.example/"><img src=x onerror=window.__pwned()>' },
      ],
    });
    await waitForMessage(alice.page, 'see');
    // No link a message produced may point at script.
    const hrefs = await alice.page.$$eval('#message-list a[href]', (as) => as.map((a) => a.href));
    for (const href of hrefs) assert.match(href, /^https?:/, href);
    assert.equal(calls.pwned, 0, 'a message payload ran');
    assert.deepEqual(calls.csp, [], 'a message payload reached the DOM as markup');
  });

  it('shows a username payload as text in the people list and on its messages', async () => {
    await openChat(mallory, server.url, ROOM);
    await alice.page.waitForFunction(
      (name) => [...document.querySelectorAll('#people-list .person')]
        .some((li) => li.dataset.username === name),
      NAME_PAYLOAD, { timeout: WAIT_MS });
    await send(mallory.page, 'hi from mallory');
    await waitForMessage(alice.page, 'hi from mallory');
    const authors = await alice.page.$$eval('#message-list .message .author',
      (els) => els.map((el) => el.textContent));
    assert.ok(authors.includes(NAME_PAYLOAD), `authors: ${authors.join(', ')}`);
    assert.equal(calls.pwned, 0, 'a username payload ran');
    assert.deepEqual(calls.csp, [], 'a username payload reached the DOM as markup');
  });

  it('refuses a room name payload without running it', async () => {
    const payload = '<svg/onload=window.__pwned()>';
    await alice.page.goto(`${server.url}/chat.html?${new URLSearchParams({ room: payload })}`);
    // The chat page sends an invalid room back to the landing page, which shows it as text.
    await alice.page.waitForURL((url) => url.pathname === '/', { timeout: WAIT_MS });
    await alice.page.waitForLoadState('load');
    assert.equal(calls.pwned, 0, 'a room payload ran');
    assert.deepEqual(calls.csp, [], 'a room payload reached the DOM as markup');
  });
});
