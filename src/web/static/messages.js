// The message list of the chat page. Messages are kept in seq order and keyed by id, so a
// message that arrives twice (a replay after a reconnect, an ack and its chat frame, a
// history page overlapping what is shown) is shown once. Messages this page sent and the
// server has not acknowledged yet stay at the end, marked as sending or failed. Also shows
// who has read up to where ("Seen by ..."), groups consecutive messages of one author,
// separates days, and scrolls only when the reader is already at the bottom.

import {
  isValidMessage, renderDayDivider, renderMessage, renderQuote, renderSeen,
} from '/message_view.js';

const GROUP_GAP_MS = 5 * 60 * 1000;  // same author within this: one visual group
const AT_BOTTOM_PX = 48;
const DELETE_CONFIRM_MS = 4000;

function sameDay(a, b) {
  return new Date(a.timestamp).toDateString() === new Date(b.timestamp).toDateString();
}

function continues(prev, m) {
  return prev !== null && prev !== undefined && prev.username === m.username &&
         sameDay(prev, m) && m.timestamp - prev.timestamp < GROUP_GAP_MS;
}

export class MessageList {
  // Elements: scroller (the scrolling element), list (the <ol>), empty (the "no
  // messages" line), jump (the "new messages" button), older (the "load older" button).
  // handlers: {react(m, emoji), reply(m), edit(m), remove(m), retry(clientId),
  // discard(clientId), older()}.
  constructor({ scroller, list, empty, jump, older }, me, handlers) {
    Object.assign(this, { scroller, list, empty, jump, older, me, handlers });
    this.order = [];  // confirmed messages, ascending seq
    this.byId = new Map();
    this.elements = new Map();  // id -> <li>
    this.pending = new Map();  // clientId -> pending message, in send order
    this.pendingElements = new Map();  // clientId -> <li>
    this.reads = new Map();  // username -> seq read up to
    this.loaded = false;
    scroller.addEventListener('scroll', () => {
      if (this.isAtBottom()) this.jump.hidden = true;
    });
    jump.addEventListener('click', () => this.scrollToBottom());
    older.addEventListener('click', () => handlers.older());
    list.addEventListener('click', (event) => this.onClick(event));
  }

  // ------------------------------------------------------------------------ queries

  newestSeq() {
    return this.order.length > 0 ? this.order.at(-1).seq : 0;
  }

  oldestSeq() {
    return this.order.length > 0 ? this.order[0].seq : 0;
  }

  get(id) {
    return this.byId.get(id);
  }

  isAtBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < AT_BOTTOM_PX;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.jump.hidden = true;
  }

  setHasMore(more) {
    this.older.hidden = !more;
  }

  // ------------------------------------------------------------------------ changes

  // Replaces every confirmed message with `messages` (oldest first): the first page of a
  // room, or the newest page after a resume the server could not replay.
  replaceAll(messages) {
    const wasAtBottom = this.isAtBottom();
    this.order = [];
    this.byId.clear();
    for (const m of messages) this.insertSorted(m);
    this.rerender();
    if (wasAtBottom || !this.loaded) this.scrollToBottom();
    this.loaded = true;
  }

  // Merges a history page: new messages take their place by seq, known ones are updated.
  // The view keeps its distance from the bottom, so prepending older ones does not move
  // what the reader is looking at.
  merge(messages) {
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    let changed = false;
    for (const m of messages) {
      if (!isValidMessage(m)) continue;
      const known = this.byId.get(m.id);
      if (known) {
        Object.assign(known, m);
        delete known.synthetic;
      } else {
        this.insertSorted(m);
      }
      changed = true;
    }
    if (!changed) return;
    this.rerender();
    this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
  }

  // Adds one live (or replayed) message; returns true when it was new.
  add(m) {
    if (!isValidMessage(m)) return false;
    const known = this.byId.get(m.id);
    if (known) {
      // Built from an ack before its chat frame came: take the server's fields.
      if (known.synthetic) {
        Object.assign(known, m);
        delete known.synthetic;
        this.refresh(known.id);
      }
      return false;
    }
    const follow = this.isAtBottom() || m.username === this.me;
    if (m.seq > this.newestSeq()) {
      const prev = this.order.at(-1) ?? null;
      this.order.push(m);
      this.byId.set(m.id, m);
      this.appendConfirmed(m, prev);
      this.refreshQuotes(m.id);
      this.renderSeenMarkers();
    } else {
      this.insertSorted(m);
      this.rerender();
    }
    this.updateEmpty();
    if (follow) this.scrollToBottom();
    else this.jump.hidden = false;
    return true;
  }

  // Applies an edit, delete or reaction frame to a message on the page.
  update(id, fields) {
    const m = this.byId.get(id);
    if (!m) return;
    Object.assign(m, fields);
    if (m.deleted) {
      m.message = '';
      delete m.reactions;
      delete m.imageUrl;
    }
    this.refresh(id);
    this.refreshQuotes(id);
  }

  addPending(m) {
    this.pending.set(m.clientId, m);
    const prev = [...this.pending.values()].at(-2) ?? this.order.at(-1) ?? null;
    const li = renderMessage(m, this.context(continues(prev, m)));
    this.pendingElements.set(m.clientId, li);
    this.list.appendChild(li);
    this.updateEmpty();
    this.scrollToBottom();
  }

  setPendingState(clientId, state, failure) {
    const m = this.pending.get(clientId);
    const old = this.pendingElements.get(clientId);
    if (!m || !old) return;
    m.pending = state;
    m.failure = failure;
    const li = renderMessage(m, this.context(old.classList.contains('continued')));
    old.replaceWith(li);
    this.pendingElements.set(clientId, li);
  }

  removePending(clientId) {
    this.pending.delete(clientId);
    this.pendingElements.get(clientId)?.remove();
    this.pendingElements.delete(clientId);
    this.updateEmpty();
  }

  // Read markers: `reads` is [{username, seq}] (a join), or one marker (a read frame).
  setReads(reads) {
    this.reads.clear();
    for (const r of reads) this.setRead(r.username, r.seq, false);
    this.renderSeenMarkers();
  }

  setRead(username, seq, render = true) {
    if (typeof username !== 'string' || !Number.isSafeInteger(seq)) return;
    if ((this.reads.get(username) ?? 0) >= seq) return;  // markers never move back
    this.reads.set(username, seq);
    if (render) this.renderSeenMarkers();
  }

  // ------------------------------------------------------------------------ rendering

  context(continued) {
    return { me: this.me, continued, lookup: (id) => this.byId.get(id) };
  }

  insertSorted(m) {
    if (!isValidMessage(m) || this.byId.has(m.id)) return;
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.order[mid].seq < m.seq) lo = mid + 1;
      else hi = mid;
    }
    this.order.splice(lo, 0, m);
    this.byId.set(m.id, m);
  }

  firstPendingElement() {
    return this.pendingElements.values().next().value ?? null;
  }

  // Adds `m` after `prev` (the message shown last), before the pending messages.
  appendConfirmed(m, prev, before = this.firstPendingElement()) {
    if (!prev || !sameDay(prev, m)) {
      this.list.insertBefore(renderDayDivider(new Date(m.timestamp)), before);
    }
    const li = renderMessage(m, this.context(continues(prev, m)));
    this.elements.set(m.id, li);
    this.list.insertBefore(li, before);
  }

  rerender() {
    this.list.replaceChildren();
    this.elements.clear();
    let prev = null;
    for (const m of this.order) {
      this.appendConfirmed(m, prev, null);
      prev = m;
    }
    for (const [clientId, m] of this.pending) {
      const li = renderMessage(m, this.context(continues(prev, m)));
      this.pendingElements.set(clientId, li);
      this.list.appendChild(li);
      prev = m;
    }
    this.renderSeenMarkers();
    this.updateEmpty();
  }

  refresh(id) {
    const old = this.elements.get(id);
    const m = this.byId.get(id);
    if (!old || !m) return;
    const li = renderMessage(m, this.context(old.classList.contains('continued')));
    const seen = old.querySelector(':scope > .seen');
    if (seen) li.appendChild(seen);
    old.replaceWith(li);
    this.elements.set(id, li);
  }

  // Replies quoting `id` show its current text (or that it is not on the page).
  refreshQuotes(id) {
    for (const li of this.list.querySelectorAll('li.message[data-reply-to]')) {
      if (li.dataset.replyTo !== id) continue;
      li.querySelector(':scope > .quote')?.replaceWith(renderQuote(id, this.byId.get(id)));
    }
  }

  // "Seen by" goes under the newest message on the page each other person has read,
  // skipping their own messages: that they saw what they wrote says nothing.
  renderSeenMarkers() {
    for (const seen of this.list.querySelectorAll('.seen')) seen.remove();
    const at = new Map();  // id -> names
    for (const [username, seq] of this.reads) {
      if (username === this.me) continue;
      let lo = 0;
      let hi = this.order.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.order[mid].seq <= seq) lo = mid + 1;
        else hi = mid;
      }
      while (lo > 0 && this.order[lo - 1].username === username) lo -= 1;
      if (lo === 0) continue;  // read up to a message older than the page
      const id = this.order[lo - 1].id;
      if (!at.has(id)) at.set(id, []);
      at.get(id).push(username);
    }
    for (const [id, names] of at) {
      this.elements.get(id)?.appendChild(renderSeen(names.sort((a, b) => a.localeCompare(b))));
    }
  }

  updateEmpty() {
    this.empty.hidden = !this.loaded || this.order.length > 0 || this.pending.size > 0;
  }

  // ------------------------------------------------------------------------ actions

  onClick(event) {
    const target = event.target.closest('[data-action]');
    const li = event.target.closest('li.message');
    if (!li) return;
    if (!target) {
      // Touch screens have no hover: a tap on a message shows its actions.
      if (matchMedia('(hover: none)').matches && !event.target.closest('a')) {
        for (const other of this.list.querySelectorAll('.show-actions')) {
          if (other !== li) other.classList.remove('show-actions');
        }
        li.classList.toggle('show-actions');
      }
      return;
    }
    const action = target.dataset.action;
    if (action === 'retry') return this.handlers.retry(li.dataset.clientId);
    if (action === 'discard') return this.handlers.discard(li.dataset.clientId);
    if (action === 'jump') return this.jumpTo(target.dataset.target);
    const m = this.byId.get(li.dataset.id);
    if (!m) return;
    if (action === 'react') this.handlers.react(m, target.dataset.emoji);
    else if (action === 'reply') this.handlers.reply(m);
    else if (action === 'edit') this.handlers.edit(m);
    else if (action === 'delete') this.confirmDelete(target, m);
  }

  // Deleting takes a second click on the same button within a few seconds.
  confirmDelete(button, m) {
    if (button.classList.contains('armed')) {
      this.handlers.remove(m);
      return;
    }
    button.classList.add('armed');
    button.textContent = 'Delete?';
    button.title = 'Click again to delete';
    setTimeout(() => {
      button.classList.remove('armed');
      button.textContent = '🗑';
      button.title = 'Delete';
    }, DELETE_CONFIRM_MS);
  }

  jumpTo(id) {
    const li = this.elements.get(id);
    if (!li) return;
    li.scrollIntoView({ block: 'center', behavior: 'smooth' });
    li.classList.remove('flash');
    void li.offsetWidth;  // restart the highlight animation
    li.classList.add('flash');
  }
}
