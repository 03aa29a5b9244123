// The chat page (chat.html): one WebSocket to the room, reconnection with backoff, the
// composer and error notices. The message list and the people list live in messages.js
// and people.js. User text reaches the page only through textContent / text nodes.

import { DEFAULT_ROOM, loadUsername, roomProblem, usernameProblem } from '/app.js';
import { MessageList } from '/messages.js';
import { People } from '/people.js';

const RECONNECT_BASE_MS = 1000;
const RECONNECT_CAP_MS = 30000;
const MAX_MESSAGE_BYTES = 4096;  // the server's limit; checked here to answer sooner
const NOTICE_MS = 12000;
const MAX_NOTICES = 3;
// Close codes that mean the server refused what it got; worth a sentence to the user.
const CLOSE_REASONS = {
  1007: 'The server closed the connection because a message was not valid text.',
  1008: 'The server closed the connection because this page fell too far behind.',
  1009: 'The server closed the connection because a message was too large.',
};

const $ = (id) => document.getElementById(id);
const ui = {
  roomName: $('room-name'),
  state: $('conn-state'),
  stateText: $('conn-text'),
  retryNow: $('retry-now'),
  peopleToggle: $('people-toggle'),
  meName: $('me-name'),
  notices: $('notices'),
  composer: $('composer'),
  input: $('message-input'),
  send: $('send-button'),
};

const params = new URLSearchParams(location.search);
const room = params.get('room') || DEFAULT_ROOM;
const me = (params.get('username') ?? loadUsername()).trim();

const messages = new MessageList(
    { scroller: $('messages'), list: $('message-list'), empty: $('empty-state'),
      jump: $('jump-latest') },
    me);
const people = new People(
    { list: $('people-list'), counters: [$('people-count'), $('people-toggle-count')] }, room,
    me);

let unread = 0;  // messages from others while the tab is hidden, shown in the title

function updateTitle() {
  const base = `#${room} · parley`;
  document.title = unread > 0 ? `(${unread}) ${base}` : base;
}

// ---------------------------------------------------------------------------- notices

function showNotice(text) {
  const notice = document.createElement('div');
  notice.className = 'notice error';
  notice.setAttribute('role', 'alert');
  const message = document.createElement('span');
  message.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'notice-close';
  close.setAttribute('aria-label', 'Dismiss');
  close.textContent = '×';
  const dismiss = () => notice.remove();
  close.addEventListener('click', dismiss);
  setTimeout(dismiss, NOTICE_MS);
  notice.append(message, close);
  ui.notices.appendChild(notice);
  while (ui.notices.childElementCount > MAX_NOTICES) ui.notices.firstElementChild.remove();
}

// ---------------------------------------------------------------------------- connection

let socket = null;
let attempt = 0;  // failed connects since the last successful join
let retryTimer = 0;
let countdownTimer = 0;

function setState(state, text) {
  ui.state.dataset.state = state;
  ui.stateText.textContent = text;
  ui.retryNow.hidden = state !== 'reconnecting';
  document.body.dataset.connection = state;
  updateComposer();
}

function clearRetry() {
  clearTimeout(retryTimer);
  clearInterval(countdownTimer);
  retryTimer = countdownTimer = 0;
}

function connect() {
  clearRetry();
  if (socket) return;
  if (!navigator.onLine) {
    setState('offline', 'Offline');
    return;
  }
  setState('connecting', attempt === 0 ? 'Connecting…' : 'Reconnecting…');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = new URLSearchParams({ username: me, room });
  const ws = new WebSocket(`${scheme}://${location.host}/ws?${query}`);
  socket = ws;
  ws.addEventListener('open', () => {
    if (socket === ws) setState('connected', 'Connected');
  });
  ws.addEventListener('message', (event) => {
    if (socket === ws) handleFrame(event.data);
  });
  ws.addEventListener('close', (event) => {
    if (socket !== ws) return;
    socket = null;
    if (CLOSE_REASONS[event.code]) showNotice(CLOSE_REASONS[event.code]);
    scheduleReconnect();
  });
}

// Exponential backoff with jitter: the ceiling doubles per failed attempt up to 30 s and
// the wait is drawn from its upper half, so a restarted server is not hit by every
// client at the same instant.
function scheduleReconnect() {
  clearRetry();
  if (!navigator.onLine) {
    setState('offline', 'Offline');
    return;
  }
  const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** attempt);
  const delay = ceiling / 2 + Math.random() * (ceiling / 2);
  attempt += 1;
  const retryAt = Date.now() + delay;
  const tick = () => {
    const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
    setState('reconnecting', `Reconnecting in ${seconds}s`);
  };
  tick();
  countdownTimer = setInterval(tick, 250);
  retryTimer = setTimeout(connect, delay);
}

function handleFrame(data) {
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    console.warn('parley: ignoring a frame that is not JSON');
    return;
  }
  switch (frame?.type) {
    case 'history':
      attempt = 0;  // joined: the next drop starts backing off from the beginning
      if (Array.isArray(frame.messages)) messages.showHistory(frame.messages);
      break;
    case 'presence':
      people.apply(frame);
      break;
    case 'chat':
      if (messages.add(frame) && document.hidden && frame.username !== me) {
        unread += 1;
        updateTitle();
      }
      break;
    case 'error':
      showNotice(typeof frame.message === 'string' ? frame.message : 'Something went wrong.');
      break;
    default:
      break;  // newer servers may send more kinds of frames
  }
}

// ---------------------------------------------------------------------------- composer

const encoder = new TextEncoder();

function isOpen() {
  return socket !== null && socket.readyState === WebSocket.OPEN;
}

function updateComposer() {
  ui.send.disabled = !isOpen() || ui.input.value.trim() === '';
  ui.composer.classList.toggle('disconnected', !isOpen());
}

function autosize() {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 160)}px`;
}

function sendMessage() {
  const text = ui.input.value;
  if (text.trim() === '' || !isOpen()) return;
  const bytes = encoder.encode(text).length;
  if (bytes > MAX_MESSAGE_BYTES) {
    showNotice(`Messages can be at most ${MAX_MESSAGE_BYTES} bytes; this one is ${bytes}.`);
    return;
  }
  socket.send(text);
  ui.input.value = '';
  autosize();
  updateComposer();
  ui.input.focus();
}

// ---------------------------------------------------------------------------- start

function start() {
  if (roomProblem(room) || usernameProblem(me)) {
    // The landing page explains what is wrong and asks again.
    location.replace(`/?${new URLSearchParams({ room })}`);
    return;
  }
  ui.roomName.textContent = room;
  ui.meName.textContent = me;
  updateTitle();
  people.render();

  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    sendMessage();
  });
  ui.input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendMessage();
    }
  });
  ui.input.addEventListener('input', () => {
    autosize();
    updateComposer();
  });
  ui.retryNow.addEventListener('click', () => {
    attempt = 0;
    connect();
  });
  ui.peopleToggle.addEventListener('click', () => {
    const open = document.body.classList.toggle('people-open');
    ui.peopleToggle.setAttribute('aria-expanded', String(open));
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
      unread = 0;
      updateTitle();
    }
  });
  window.addEventListener('online', () => {
    attempt = 0;
    connect();
  });
  window.addEventListener('offline', () => {
    if (!socket) {
      clearRetry();
      setState('offline', 'Offline');
    }
  });
  connect();
}

start();
