// The chat page (chat.html): one room over parley's native protocol. Joins the room,
// keeps the highest seq seen and, after a dropped connection, joins again with `since` so
// the server replays exactly what was missed; messages not yet acknowledged are sent again
// with their clientId. The pieces live in connection.js, messages.js, outbox.js,
// composer.js, typing.js and people.js. User text reaches the page only as text nodes.

import { DEFAULT_ROOM, loadUsername, roomProblem, usernameProblem } from '/app.js';
import { Composer } from '/composer.js';
import { Connection } from '/connection.js';
import { MessageList } from '/messages.js';
import { Outbox } from '/outbox.js';
import { People } from '/people.js';
import { TypingIndicator, TypingSignal } from '/typing.js';
import { uploadImage } from '/upload.js';

const MAX_MESSAGE_BYTES = 4096;  // the server's limit; checked here to answer sooner
const OLDER_PAGE = 50;
const REFRESH_PAGE = 50;
const READ_EVERY_MS = 1000;
const NOTICE_MS = 12000;
const MAX_NOTICES = 3;
const STATE_TEXT = {
  connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

const $ = (id) => document.getElementById(id);
const ui = {
  roomName: $('room-name'), state: $('conn-state'), stateText: $('conn-text'),
  retryNow: $('retry-now'), peopleToggle: $('people-toggle'), meName: $('me-name'),
  notices: $('notices'), older: $('load-older'),
};

const params = new URLSearchParams(location.search);
const room = params.get('room') || DEFAULT_ROOM;
const me = (params.get('username') ?? loadUsername()).trim();

// ---------------------------------------------------------------------------- state

let welcomed = false;  // this socket's join is complete (history or replay, presence)
let joinedOnce = false;  // this page has been in the room: later joins resume
let highestSeq = 0;  // newest seq received in order: where a resume starts
let expectPage = false;  // the next history frame is the page that comes with a join
let resumed = false;  // the current join replayed what was missed
const historyQueue = [];  // history requests waiting: one is answered at a time
let historyInFlight = null;  // {kind: 'older' | 'refresh', ref}
let refs = 0;  // numbers `ref` of requests, so errors can be told apart
let lastReadSent = 0;
let lastReadAt = 0;
let readTimer = 0;
let unread = 0;  // messages from others while the tab is hidden, shown in the title

const connection = new Connection(me, {
  open: () => {
    const join = { type: 'join', room };
    if (joinedOnce) join.since = highestSeq;
    connection.send(join);
  },
  frame: handleFrame,
  closed: onClosed,
  state: setState,
});
const messages = new MessageList(
    { scroller: $('messages'), list: $('message-list'), empty: $('empty-state'),
      jump: $('jump-latest'), older: ui.older },
    me, {
      react: (m, emoji) => request({ type: 'react', messageId: m.id, emoji }),
      reply: (m) => composer.reply(m),
      edit: (m) => composer.edit(m),
      remove: (m) => request({ type: 'delete', messageId: m.id }),
      retry: (clientId) => outbox.retry(clientId),
      discard: (clientId) => outbox.discard(clientId),
      older: () => {
        ui.older.disabled = true;
        askHistory('older', { before: messages.oldestSeq(), limit: OLDER_PAGE });
      },
    });
const outbox = new Outbox(connection, messages, room, me);
const people = new People(
    { list: $('people-list'), counters: [$('people-count'), $('people-toggle-count')] }, room,
    me);
const typingIndicator = new TypingIndicator($('typing'), me);
const typingSignal = new TypingSignal((active) => welcomed && connection.send(
    { type: 'typing', room, active, ref: nextRef('typing') }));
const composer = new Composer(
    { form: $('composer'), input: $('message-input'), send: $('send-button'),
      attach: $('attach-button'), fileInput: $('file-input'), context: $('composer-context'),
      contextLabel: $('context-label'), contextText: $('context-text'),
      contextCancel: $('context-cancel') },
    { submit, image: sendImage, typing: (empty) => typingSignal.input(empty),
      blur: () => typingSignal.stop() });

function nextRef(prefix) {
  refs += 1;
  return `${prefix}-${refs}`;
}

function updateTitle() {
  const base = `#${room} · parley`;
  document.title = unread > 0 ? `(${unread}) ${base}` : base;
}

function setState(state) {
  ui.state.dataset.state = state;
  ui.stateText.textContent = STATE_TEXT[state];
  ui.retryNow.hidden = state !== 'reconnecting';
  document.body.dataset.connection = state;
}

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

// ---------------------------------------------------------------------------- requests

// Sends a request about the room; edits, deletes and reactions need a live connection.
function request(frame) {
  if (!welcomed) {
    showNotice('Not connected right now; try again once the page has reconnected.');
    return false;
  }
  return connection.send({ ...frame, room, ref: nextRef(frame.type) });
}

function askHistory(kind, fields) {
  historyQueue.push({ kind, fields });
  pumpHistory();
}

function pumpHistory() {
  if (historyInFlight || !welcomed || historyQueue.length === 0) return;
  const { kind, fields } = historyQueue.shift();
  historyInFlight = { kind, ref: nextRef('history') };
  connection.send({ type: 'history', room, ...fields, ref: historyInFlight.ref });
}

function submit(text, mode) {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_MESSAGE_BYTES) {
    showNotice(`Messages can be at most ${MAX_MESSAGE_BYTES} bytes; this one is ${bytes}.`);
    return false;
  }
  typingSignal.stop();
  if (mode?.kind === 'edit') {
    if (text === mode.message.message) return true;
    return request({ type: 'edit', messageId: mode.message.id, text });
  }
  outbox.send(text, mode?.kind === 'reply' ? mode.message.id : undefined);
  return true;
}

// Uploads a picked or pasted image, then sends it as a message of its own (the text box
// keeps whatever was typed).
async function sendImage(file, mode) {
  const replyTo = mode?.kind === 'reply' ? mode.message.id : undefined;
  let uploaded;
  try {
    uploaded = await uploadImage(file);
  } catch (err) {
    showNotice(err.message);
    return;
  }
  outbox.send('', replyTo, uploaded.url);
}

// Tells the room how far this person has read: the newest message, while the tab is
// visible, at most once a second.
function sendRead() {
  if (readTimer || !welcomed || document.visibilityState !== 'visible') return;
  if (messages.newestSeq() <= lastReadSent) return;
  const wait = lastReadAt + READ_EVERY_MS - Date.now();
  if (wait > 0) {
    readTimer = setTimeout(() => {
      readTimer = 0;
      sendRead();
    }, wait);
    return;
  }
  const seq = messages.newestSeq();
  if (connection.send({ type: 'read', room, seq, ref: nextRef('read') })) {
    lastReadSent = seq;
    lastReadAt = Date.now();
  }
}

// ---------------------------------------------------------------------------- frames

function handleFrame(f) {
  if (typeof f.room === 'string' && f.room !== room) return;  // one room per page
  switch (f.type) {
    case 'joined': return onJoined(f);
    case 'history': return onHistory(f);
    case 'presence':
      people.apply(f);
      if (f.event === 'snapshot' && !welcomed) onWelcomed();
      if (f.event === 'user_left' && !people.sockets.has(f.username)) {
        typingIndicator.apply(f.username, false);
      }
      return;
    case 'chat':
      if (Number.isSafeInteger(f.seq) && f.seq > highestSeq) highestSeq = f.seq;
      if (f.username === me && typeof f.clientId === 'string') outbox.settled(f.clientId);
      if (messages.add(f) && document.hidden && f.username !== me) {
        unread += 1;
        updateTitle();
      }
      return sendRead();
    case 'ack': {
      const confirmed = outbox.ack(f);
      if (confirmed) messages.add(confirmed);
      return sendRead();
    }
    case 'typing': return typingIndicator.apply(f.username, f.active === true);
    case 'reaction':
      return messages.update(f.id, { reactions: Array.isArray(f.reactions) ? f.reactions : [] });
    case 'edit':
      if (typeof f.message !== 'string') return;
      return messages.update(f.id, { message: f.message, editedAt: f.editedAt ?? Date.now() });
    case 'delete':
      composer.forget(f.id);
      return messages.update(f.id, { deleted: true });
    case 'read':
      if (f.username === me && Number.isSafeInteger(f.seq)) {
        lastReadSent = Math.max(lastReadSent, f.seq);
      }
      return messages.setRead(f.username, f.seq);
    case 'error': return onError(f);
    default:
      return;  // left, pong, and kinds of frames newer servers may add
  }
}

function onJoined(f) {
  connection.joined();
  resumed = f.recovered === true;
  expectPage = !resumed;
  const reads = Array.isArray(f.reads) ? f.reads : [];
  messages.setReads(reads);
  for (const r of reads) {
    if (r?.username === me && Number.isSafeInteger(r.seq)) {
      lastReadSent = Math.max(lastReadSent, r.seq);
    }
  }
}

function onHistory(f) {
  const page = Array.isArray(f.messages) ? f.messages : [];
  if (expectPage) {
    // A first join, or a resume the server could not replay: this page is the room now.
    expectPage = false;
    messages.replaceAll(page);
    messages.setHasMore(f.hasMore === true);
    highestSeq = messages.newestSeq();
    return;
  }
  const kind = historyInFlight?.kind;
  historyInFlight = null;
  messages.merge(page);
  if (kind === 'older') {
    messages.setHasMore(f.hasMore === true);
    ui.older.disabled = false;
  }
  pumpHistory();
}

function onWelcomed() {
  welcomed = true;
  joinedOnce = true;
  setState('connected');
  composer.setEnabled(true);
  outbox.setReady(true);
  // A replay brings the missed messages, not what changed on older ones meanwhile.
  if (resumed) askHistory('refresh', { limit: REFRESH_PAGE });
  pumpHistory();
  sendRead();
}

function onError(f) {
  const text = typeof f.message === 'string' ? f.message : 'Something went wrong.';
  const ref = typeof f.ref === 'string' ? f.ref : '';
  if (ref && outbox.fail(ref, text)) return;
  if (ref.startsWith('typing-') || ref.startsWith('read-')) return;  // typing and read are hints
  if (ref && ref === historyInFlight?.ref) {
    historyInFlight = null;
    ui.older.disabled = false;
    pumpHistory();
  }
  // The server could not finish the join (or lost the room): start over on a new socket.
  if ((!welcomed && !ref) || f.code === 'not_joined') connection.restart();
  showNotice(text);
}

function onClosed(reason) {
  welcomed = false;
  expectPage = false;
  historyInFlight = null;
  historyQueue.length = 0;
  ui.older.disabled = false;
  outbox.setReady(false);
  typingSignal.reset();
  typingIndicator.clear();
  clearTimeout(readTimer);
  readTimer = 0;
  // Messages written while away are kept and sent after the resume.
  composer.setEnabled(joinedOnce);
  if (reason) showNotice(reason);
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
  ui.retryNow.addEventListener('click', () => connection.retryNow());
  ui.peopleToggle.addEventListener('click', () => {
    const open = document.body.classList.toggle('people-open');
    ui.peopleToggle.setAttribute('aria-expanded', String(open));
  });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    unread = 0;
    updateTitle();
    sendRead();
  });
  connection.connect();
}

start();
