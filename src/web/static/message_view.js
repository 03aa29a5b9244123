// Renders one message of the chat page as an <li>: author and time, an optional quote of
// the message it replies to, the text, "(edited)", the reaction chips, the send status of
// a message not yet acknowledged, and the buttons to react, reply, edit and delete.
// User text reaches the page only as text nodes (and anchors whose href passed the URL
// parser), never through HTML parsing.

export const REACTION_EMOJIS = ['👍', '❤️', '😂', '😮'];
const QUOTE_CHARS = 120;

export function timeLabel(date) {
  return date.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

export function dayLabel(date) {
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) return 'Today';
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return date.toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric' });
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(className, label, action, title) {
  const b = el('button', className, label);
  b.type = 'button';
  b.dataset.action = action;
  if (title) {
    b.title = title;
    b.setAttribute('aria-label', title);
  }
  return b;
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
    const a = el('a', '', match[0]);
    a.href = href;
    a.rel = 'noopener noreferrer nofollow';
    a.target = '_blank';
    parent.appendChild(a);
    last = match.index + match[0].length;
  }
  parent.appendChild(document.createTextNode(text.slice(last)));
}

// An image attached by URL: pictures stored on this server are shown inline; others are
// a link, so reading a room does not call out to servers the reader never chose.
function renderImage(url) {
  let parsed;
  try {
    parsed = new URL(url, location.href);
  } catch {
    return null;
  }
  if (parsed.origin === location.origin && parsed.pathname.startsWith('/files/')) {
    const img = el('img', 'attachment');
    img.src = parsed.href;
    img.alt = 'Attached image';
    img.loading = 'lazy';
    return img;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const a = el('a', 'attachment-link', 'Attached image');
  a.href = parsed.href;
  a.rel = 'noopener noreferrer nofollow';
  a.target = '_blank';
  return a;
}

export function isValidMessage(m) {
  return m !== null && typeof m === 'object' && typeof m.id === 'string' &&
         Number.isSafeInteger(m.seq) && typeof m.username === 'string' &&
         typeof m.message === 'string' && Number.isFinite(m.timestamp);
}

function quoteText(original) {
  if (!original) return 'earlier message';
  if (original.deleted) return 'message deleted';
  const chars = [...original.message.replace(/\s+/g, ' ')];
  return chars.length > QUOTE_CHARS ? `${chars.slice(0, QUOTE_CHARS).join('')}…` : chars.join('');
}

// The quote shown above a reply; `original` is the replied-to message when it is on the
// page, undefined otherwise.
export function renderQuote(replyTo, original) {
  const quote = button('quote', '', 'jump', undefined);
  quote.dataset.target = replyTo;
  quote.title = original ? 'Show the message this replies to' : 'Not loaded on this page';
  if (original) quote.appendChild(el('span', 'quote-author', original.username));
  quote.appendChild(el('span', 'quote-text', quoteText(original)));
  return quote;
}

function renderReactions(m, me) {
  const box = el('div', 'reactions');
  for (const r of m.reactions ?? []) {
    if (typeof r?.emoji !== 'string' || !Array.isArray(r.users) || r.users.length === 0) {
      continue;
    }
    const mine = r.users.includes(me);
    const chip = button(`reaction${mine ? ' mine' : ''}`, '', 'react',
                        `${r.users.join(', ')} reacted with ${r.emoji}`);
    chip.dataset.emoji = r.emoji;
    chip.setAttribute('aria-pressed', String(mine));
    chip.append(el('span', 'reaction-emoji', r.emoji),
                el('span', 'reaction-count', String(r.users.length)));
    box.appendChild(chip);
  }
  return box.childElementCount > 0 ? box : null;
}

function renderActions(m, own) {
  const bar = el('div', 'actions');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Message actions');
  for (const emoji of REACTION_EMOJIS) {
    const b = button('action react-pick', emoji, 'react', `React with ${emoji}`);
    b.dataset.emoji = emoji;
    bar.appendChild(b);
  }
  bar.appendChild(button('action', '↩', 'reply', 'Reply'));
  if (own) {
    bar.appendChild(button('action', '✎', 'edit', 'Edit'));
    bar.appendChild(button('action danger', '🗑', 'delete', 'Delete'));
  }
  return bar;
}

// m: a confirmed message, or a pending one ({clientId, pending: 'sending'|'failed', ...}
// without id/seq). ctx: {me, continued, lookup(id) -> message or undefined}.
export function renderMessage(m, ctx) {
  const own = m.username === ctx.me;
  const date = new Date(m.timestamp);
  const li = el('li', 'message');
  if (own) li.classList.add('own');
  if (ctx.continued) li.classList.add('continued');
  if (m.pending) {
    li.classList.add('pending', m.pending);
    li.dataset.clientId = m.clientId;
  } else {
    li.dataset.id = m.id;
    li.dataset.seq = String(m.seq);
  }
  if (m.deleted) li.classList.add('deleted');
  li.title = date.toLocaleString();

  const meta = el('div', 'meta');
  const time = el('time', '', timeLabel(date));
  time.dateTime = date.toISOString();
  meta.append(el('span', 'author', m.username), time);
  li.appendChild(meta);

  if (typeof m.replyTo === 'string' && m.replyTo !== '' && !m.deleted) {
    li.dataset.replyTo = m.replyTo;
    li.appendChild(renderQuote(m.replyTo, ctx.lookup(m.replyTo)));
  }

  const row = el('div', 'bubble-row');
  const body = el('p', 'body');
  if (m.deleted) {
    body.textContent = 'message deleted';
  } else {
    appendLinkified(body, m.message);
    body.hidden = m.message === '' && typeof m.imageUrl === 'string';  // an image alone
  }
  row.appendChild(body);
  if (!m.pending && !m.deleted) row.appendChild(renderActions(m, own));
  li.appendChild(row);

  if (!m.deleted && typeof m.imageUrl === 'string') {
    const image = renderImage(m.imageUrl);
    if (image) li.appendChild(image);
  }

  const notes = el('div', 'notes');
  if (m.editedAt && !m.deleted) {
    const edited = el('span', 'edited', '(edited)');
    edited.title = `Edited ${new Date(m.editedAt).toLocaleString()}`;
    notes.appendChild(edited);
  }
  if (m.pending === 'sending') notes.appendChild(el('span', 'status', 'Sending…'));
  if (m.pending === 'failed') {
    notes.appendChild(el('span', 'status failed', `Not sent: ${m.failure || 'error'}`));
    notes.appendChild(button('link-button small', 'Retry', 'retry'));
    notes.appendChild(button('link-button small', 'Discard', 'discard'));
  }
  if (notes.childElementCount > 0) li.appendChild(notes);

  if (!m.deleted) {
    const reactions = renderReactions(m, ctx.me);
    if (reactions) li.appendChild(reactions);
  }
  return li;
}

export function renderDayDivider(date) {
  const divider = el('li', 'day-divider', dayLabel(date));
  divider.setAttribute('role', 'separator');
  return divider;
}

export function renderSeen(names) {
  const seen = el('div', 'seen', `Seen by ${names.join(', ')}`);
  seen.title = seen.textContent;
  return seen;
}
