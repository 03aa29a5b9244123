// What parley's browser tests share: the real binary on a free port with a fresh data
// directory, headless Chromium, one browser context per person, a TCP proxy that can cut
// connections, and small readers of what the chat page shows.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = join(HERE, 'out');
const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const WAIT_MS = 15000;  // deadline for anything the page should show

// Starts parley on a free port with a fresh data directory; resolves once it prints its
// listening line. The server's stderr is kept to explain a failure. `args` are extra flags.
export async function startServer(args = []) {
  const bin = process.env.PARLEY_BIN;
  assert.ok(bin, 'PARLEY_BIN must name the parley binary');
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const child = spawn(bin, ['--port', '0', '--data-dir', dataDir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, dataDir, stderr: '', url: null, exit: null };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { server.stderr += chunk; });
  server.exit = once(child, 'exit');

  const lines = createInterface({ input: child.stdout });
  const listening = new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^parley listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (match) resolve(match[1]);
    });
    child.on('exit', (code, signal) => reject(new Error(
      `parley exited (code ${code}, signal ${signal}) before listening:\n${server.stderr}`)));
    child.on('error', reject);
    setTimeout(() => reject(new Error(
      `parley printed no listening line within 20 s:\n${server.stderr}`)), 20000).unref();
  });
  server.url = await listening;
  return server;
}

export function stopServer(server) {
  if (!server) return;
  if (server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL');
  }
  rmSync(server.dataDir, { recursive: true, force: true });
}

export async function launchBrowser() {
  mkdirSync(OUT_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// One person: a browser context of their own (own localStorage), its page, every dialog
// the page tried to open and every uncaught error.
export async function openPerson(browser, name, viewport = LAPTOP, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  const person = { name, context, page, dialogs: [], errors: [] };
  page.on('dialog', (dialog) => {
    person.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => person.errors.push(error.message));
  return person;
}

// Opens the chat page of `room` directly (the landing page has its own test).
export async function openChat(person, baseUrl, room) {
  const query = new URLSearchParams({ room, username: person.name });
  await person.page.goto(`${baseUrl}/chat.html?${query}`);
  await waitConnected(person.page);
}

export async function waitConnected(page) {
  await page.waitForSelector('#conn-state[data-state="connected"]', { timeout: WAIT_MS });
}

// [{author, body, own, seq, pending}] of every rendered message, in order.
export async function messagesOn(page) {
  return page.$$eval('#message-list .message', (items) => items.map((li) => ({
    author: li.querySelector('.author').textContent,
    body: li.querySelector('.body').textContent,
    own: li.classList.contains('own'),
    seq: li.dataset.seq === undefined ? null : Number(li.dataset.seq),
    pending: li.classList.contains('pending'),
  })));
}

export async function waitForMessage(page, body) {
  await page.waitForFunction(
    (text) => [...document.querySelectorAll('#message-list .message:not(.pending) .body')]
      .some((el) => el.textContent === text),
    body, { timeout: WAIT_MS });
}

export async function send(page, text, { withButton = false } = {}) {
  await page.fill('#message-input', text);
  if (withButton) await page.click('#send-button');
  else await page.press('#message-input', 'Enter');
}

// The <li> of the confirmed message whose text is exactly `body`.
export function messageItem(page, body) {
  const exact = new RegExp(`^${body.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator('#message-list .message:not(.pending)')
    .filter({ has: page.locator('.body', { hasText: exact }) });
}

// Clicks one of a message's action buttons, which show on hover.
export async function messageAction(page, body, selector) {
  const item = messageItem(page, body);
  await item.locator('.body').hover();
  await item.locator(`.actions ${selector}`).click();
}

// A TCP proxy in front of parley: the page is loaded through it, so cutting its sockets
// drops the page's connection as a network failure would. While `refusing`, new
// connections are closed at once; while `blackholing`, what the server sends is dropped.
// `target` (a URL string) may be changed: new connections go to the new server.
export async function startProxy(targetUrl) {
  const sockets = new Set();
  const proxy = { target: targetUrl, refusing: false, blackholing: false, url: null };
  const server = createServer((client) => {
    if (proxy.refusing) {
      client.destroy();
      return;
    }
    const target = new URL(proxy.target);
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!proxy.blackholing) client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  proxy.cut = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  proxy.close = () => {
    proxy.cut();
    server.close();
  };
  return proxy;
}

// A socket speaking the native protocol from a page of its own (the browser's WebSocket),
// for posting many messages quickly. Resolves with the acked seqs.
export async function postMessages(browser, baseUrl, { username, room, texts }) {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/api/health`);
  const seqs = await page.evaluate(async ({ username, room, texts }) => {
    const query = new URLSearchParams({ username });
    const ws = new WebSocket(`ws://${location.host}/v1/ws?${query}`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('socket failed'));
    });
    const acked = [];
    const done = new Promise((resolve, reject) => {
      ws.onmessage = (event) => {
        const f = JSON.parse(event.data);
        if (f.type === 'presence' && f.event === 'snapshot') {
          texts.forEach((text, i) => ws.send(JSON.stringify(
            { type: 'message', room, text, clientId: `post-${i}` })));
        } else if (f.type === 'ack') {
          acked.push(f.seq);
          if (acked.length === texts.length) resolve();
        } else if (f.type === 'error') {
          reject(new Error(f.message));
        }
      };
    });
    ws.send(JSON.stringify({ type: 'join', room }));
    await done;
    ws.close();
    return acked;
  }, { username, room, texts });
  await page.close();
  return seqs;
}
