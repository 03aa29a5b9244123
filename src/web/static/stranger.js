// "Talk to a stranger": the random 1:1 chat over parley's JSON socket (/ws without a
// username; docs/protocol.md). States: find -> waiting -> chat -> ended -> find/next.
// An API key, when the server needs one, comes from ?apiKey= in the page URL.

const $ = (id) => document.getElementById(id);
const views = { find: $('s-find'), wait: $('s-wait'), chat: $('s-chat') };
let socket = null;
let state = 'connecting';  // connecting | find | wait | chat | ended
let retryMs = 500;

function show(view) {
  for (const [name, el] of Object.entries(views)) el.hidden = name !== view;
}

function setStatus(text) { $('s-status').textContent = text; }

function setState(next, note) {
  state = next;
  if (next === 'find') { show('find'); setStatus('Ready'); }
  if (next === 'wait') { show('wait'); setStatus('Searching…'); }
  if (next === 'chat') {
    show('chat');
    $('s-log').replaceChildren();
    $('s-ended').hidden = true;
    setStatus('Chatting with a stranger');
    addNote('You are now chatting with a stranger. Say hi!');
    $('s-text').focus();
  }
  if (next === 'ended') {
    show('chat');
    $('s-ended').textContent = note;
    $('s-ended').hidden = false;
    setStatus('Chat ended');
  }
  const chatting = next === 'chat';
  $('s-text').disabled = !chatting;
  $('s-send').disabled = !chatting;
  $('s-end').disabled = !chatting;
}

function addNote(text) {
  const p = document.createElement('p');
  p.className = 's-note';
  p.textContent = text;
  $('s-log').append(p);
}

// Text only ever goes in through textContent, so a message can never become markup.
function addMessage(text, own, imageUrl) {
  const div = document.createElement('div');
  div.className = own ? 's-msg s-own' : 's-msg';
  if (text) div.textContent = text;
  if (imageUrl && /^https?:\/\//.test(imageUrl)) {
    const a = document.createElement('a');
    a.href = imageUrl;
    a.rel = 'noopener noreferrer';
    a.target = '_blank';
    a.textContent = text ? ` [image]` : '[image]';
    div.append(a);
  }
  const log = $('s-log');
  log.append(div);
  log.scrollTop = log.scrollHeight;
}

function send(obj) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(obj));
}

function search() {
  const filters = {};
  for (const name of ['emotion', 'language', 'mode']) {
    const v = $(`s-${name}`).value;
    if (v) filters[name] = v;
  }
  send({ type: 'search', ...filters });
  setState('wait');
}

function onFrame(msg) {
  switch (msg.type) {
    case 'auth_success': if (state === 'connecting') setState('find'); break;
    case 'auth_error': setStatus(`Not allowed: ${msg.error}`); break;
    case 'searching': if (state !== 'wait') setState('wait'); break;
    case 'matched': setState('chat'); break;
    case 'message': addMessage(msg.text, false, msg.imageUrl); break;
    case 'chat_ended': setState('ended', 'You ended the chat.'); break;
    case 'partner_disconnected': setState('ended', 'The stranger has left the chat.'); break;
    case 'cancelled': setState('find'); break;
    case 'error': addNote(msg.message); setStatus(msg.message); break;
    default: break;
  }
}

function connect() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  socket = new WebSocket(`${proto}//${location.host}/ws`);
  socket.onopen = () => {
    retryMs = 500;
    const apiKey = new URLSearchParams(location.search).get('apiKey') || '';
    send({ type: 'auth', apiKey });
  };
  socket.onmessage = (e) => {
    try { onFrame(JSON.parse(e.data)); } catch { /* not ours to show */ }
  };
  socket.onclose = () => {
    // A lost socket loses its chat too (the stranger is told); start over once back.
    state = 'connecting';
    show(null);
    setStatus('Reconnecting…');
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10000);
  };
}

$('s-filters').addEventListener('submit', (e) => { e.preventDefault(); search(); });
$('s-cancel').addEventListener('click', () => send({ type: 'cancel' }));
$('s-compose').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('s-text').value.trim();
  if (!text || state !== 'chat') return;
  send({ type: 'message', text });
  addMessage(text, true);
  $('s-text').value = '';
});
$('s-end').addEventListener('click', () => send({ type: 'end_chat' }));
// "Next": leave this chat (if any) and look for someone else with the same filters.
$('s-next').addEventListener('click', () => search());

setState('connecting');
show(null);
connect();
