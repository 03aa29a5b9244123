// The message list of the chat page: renders history and live chat messages, groups
// consecutive messages of one author, separates days, and scrolls only when the reader
// is already at the bottom. User text reaches the page only as text nodes (and anchors
// whose href passed the URL parser), never through HTML parsing.

const GROUP_GAP_MS = 5 * 60 * 1000;  // same author within this: one visual group
const AT_BOTTOM_PX = 48;

function timeLabel(date) {
  return date.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function dayLabel(date) {
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) return 'Today';
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return date.toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric' });
}

// Appends `text` to `parent`, turning http(s) URLs into links.
function appendLinkified(parent, text) {
  const urlPattern = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    let href = null;
    try {
      const url = new URL(match[0]);
      if (url.protocol === 'http:' || url.protocol === 'https:') href = url.href;
    } catch {
      // Not a URL after all: stays text.
    }
    if (!href) continue;
    parent.appendChild(document.createTextNode(text.slice(last, match.index)));
    const a = document.createElement('a');
    a.href = href;
    a.rel = 'noopener noreferrer nofollow';
    a.target = '_blank';
    a.textContent = match[0];
    parent.appendChild(a);
    last = match.index + match[0].length;
  }
  parent.appendChild(document.createTextNode(text.slice(last)));
}

function isValidMessage(m) {
  return m !== null && typeof m === 'object' && typeof m.id === 'string' &&
         typeof m.username === 'string' && typeof m.message === 'string' &&
         Number.isFinite(m.timestamp);
}

export class MessageList {
  // scroller: the scrolling element; list: the <ol>; empty: the "no messages" line;
  // jump: the "new messages" button; me: this page's username.
  constructor({ scroller, list, empty, jump }, me) {
    this.scroller = scroller;
    this.list = list;
    this.empty = empty;
    this.jump = jump;
    this.me = me;
    this.seenIds = new Set();
    this.last = null;  // {username, timestamp} of the last rendered message
    this.loaded = false;  // a history has been shown at least once
    scroller.addEventListener('scroll', () => {
      if (this.isAtBottom()) this.jump.hidden = true;
    });
    jump.addEventListener('click', () => this.scrollToBottom());
  }

  isAtBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < AT_BOTTOM_PX;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.jump.hidden = true;
  }

  // Replaces the list with `messages` (oldest first), skipping repeated ids. The server
  // sends the recent history on every (re)connect, so this both fills a new page and
  // heals a reconnected one: nothing shown twice, nothing missed while away.
  showHistory(messages) {
    const wasAtBottom = this.isAtBottom();
    const keepTop = this.scroller.scrollTop;
    this.list.replaceChildren();
    this.seenIds.clear();
    this.last = null;
    for (const m of messages) {
      if (!isValidMessage(m) || this.seenIds.has(m.id)) continue;
      this.seenIds.add(m.id);
      this.render(m);
    }
    this.updateEmpty(true);
    if (wasAtBottom || !this.loaded) this.scrollToBottom();
    else this.scroller.scrollTop = keepTop;
    this.loaded = true;
  }

  // Appends one live message; returns false when it was invalid or already shown.
  add(m) {
    if (!isValidMessage(m) || this.seenIds.has(m.id)) return false;
    const follow = this.isAtBottom() || m.username === this.me;
    this.seenIds.add(m.id);
    this.render(m);
    this.updateEmpty(true);
    if (follow) this.scrollToBottom();
    else this.jump.hidden = false;
    return true;
  }

  updateEmpty(loaded) {
    this.empty.hidden = !loaded || this.seenIds.size > 0;
  }

  render(m) {
    const date = new Date(m.timestamp);
    if (!this.last || new Date(this.last.timestamp).toDateString() !== date.toDateString()) {
      const divider = document.createElement('li');
      divider.className = 'day-divider';
      divider.setAttribute('role', 'separator');
      divider.textContent = dayLabel(date);
      this.list.appendChild(divider);
      this.last = null;
    }
    const continued = this.last !== null && this.last.username === m.username &&
                      m.timestamp - this.last.timestamp < GROUP_GAP_MS;

    const li = document.createElement('li');
    li.className = 'message';
    if (m.username === this.me) li.classList.add('own');
    if (continued) li.classList.add('continued');
    li.dataset.id = m.id;
    li.dataset.seq = String(m.seq);
    li.title = date.toLocaleString();

    const meta = document.createElement('div');
    meta.className = 'meta';
    const author = document.createElement('span');
    author.className = 'author';
    author.textContent = m.username;
    const time = document.createElement('time');
    time.dateTime = date.toISOString();
    time.textContent = timeLabel(date);
    meta.append(author, time);

    const body = document.createElement('p');
    body.className = 'body';
    appendLinkified(body, m.message);

    li.append(meta, body);
    this.list.appendChild(li);
    this.last = { username: m.username, timestamp: m.timestamp };
  }
}
