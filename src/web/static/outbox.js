// Messages this page sent that the server has not acknowledged yet. Each has a clientId,
// the server's idempotency key: after a reconnect every unacknowledged message is sent
// again with the same clientId, and the server answers one it already stored with the
// original ack instead of storing it twice. A message the server refused is marked failed
// and waits for the person to retry or discard it.

let counter = 0;

function newClientId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Plain-http origins other than localhost have no randomUUID.
  const random = crypto.getRandomValues(new Uint32Array(2));
  counter += 1;
  return `${Date.now().toString(36)}-${counter}-${random[0].toString(36)}${random[1].toString(36)}`;
}

export class Outbox {
  // connection: a Connection; list: the MessageList; room, me: strings.
  constructor(connection, list, room, me) {
    Object.assign(this, { connection, list, room, me });
    this.entries = new Map();  // clientId -> pending message, in send order
    this.ready = false;  // joined: frames sent now are taken in order
  }

  has(clientId) {
    return this.entries.has(clientId);
  }

  // Queues one message and sends it when the room is joined.
  send(text, replyTo, imageUrl) {
    const m = {
      clientId: newClientId(), username: this.me, message: text, timestamp: Date.now(),
      pending: 'sending',
    };
    if (replyTo) m.replyTo = replyTo;
    if (imageUrl) m.imageUrl = imageUrl;
    this.entries.set(m.clientId, m);
    this.list.addPending(m);
    this.transmit(m);
  }

  transmit(m) {
    if (!this.ready) return;
    const frame = { type: 'message', room: this.room, text: m.message, clientId: m.clientId };
    if (m.replyTo) frame.replyTo = m.replyTo;
    if (m.imageUrl) frame.imageUrl = m.imageUrl;
    this.connection.send(frame);
  }

  // The room is joined (again): send everything still waiting, oldest first.
  setReady(ready) {
    this.ready = ready;
    if (!ready) return;
    for (const m of this.entries.values()) {
      if (m.pending === 'sending') this.transmit(m);
    }
  }

  // An ack for one of ours: it now has an id and a seq. Returns the message to show, or
  // null when the clientId is not one this page is waiting for.
  ack(frame) {
    const m = this.entries.get(frame.clientId);
    if (!m || typeof frame.id !== 'string' || !Number.isSafeInteger(frame.seq)) return null;
    this.forget(frame.clientId);
    const confirmed = {
      id: frame.id, seq: frame.seq, username: this.me, message: m.message,
      timestamp: m.timestamp, clientId: m.clientId, synthetic: true,
    };
    if (m.replyTo) confirmed.replyTo = m.replyTo;
    return confirmed;
  }

  // A chat frame carrying one of our clientIds settles it like an ack.
  settled(clientId) {
    if (this.entries.has(clientId)) this.forget(clientId);
  }

  forget(clientId) {
    this.entries.delete(clientId);
    this.list.removePending(clientId);
  }

  // An error about one of ours; returns false when `clientId` is not ours.
  fail(clientId, reason) {
    const m = this.entries.get(clientId);
    if (!m) return false;
    this.list.setPendingState(clientId, 'failed', reason);
    return true;
  }

  retry(clientId) {
    const m = this.entries.get(clientId);
    if (!m) return;
    this.list.setPendingState(clientId, 'sending');
    this.transmit(m);
  }

  discard(clientId) {
    this.forget(clientId);
  }
}
