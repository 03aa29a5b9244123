// One WebSocket to parley's native protocol (/v1/ws), reopened after every drop with
// exponential backoff: 0.5 s doubling up to 10 s, reset once a room is joined again. What
// to send on open (the join) and what frames mean is the caller's: this only keeps a
// socket open and says what state it is in.

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10000;
// Close codes that mean the server refused what it got; worth a sentence to the user.
const CLOSE_REASONS = {
  1007: 'The server closed the connection because a message was not valid text.',
  1008: 'The server closed the connection because this page fell too far behind.',
  1009: 'The server closed the connection because a message was too large.',
};

export class Connection {
  // username: who connects. Callbacks: open(), frame(object), closed(reason or ''),
  // state('connecting' | 'reconnecting' | 'offline').
  constructor(username, { open, frame, closed, state }) {
    this.username = username;
    this.on = { open, frame, closed, state };
    this.socket = null;
    this.attempt = 0;  // reconnects since the last successful join
    this.everOpened = false;
    this.retryTimer = 0;
    window.addEventListener('online', () => this.retryNow());
    window.addEventListener('offline', () => {
      if (!this.socket) {
        clearTimeout(this.retryTimer);
        this.on.state('offline');
      }
    });
  }

  isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  // Sends one frame; false when there is no open socket (the caller keeps what matters
  // and sends it again after the next join).
  send(frame) {
    if (!this.isOpen()) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  // A room was joined: the next drop starts backing off from the beginning.
  joined() {
    this.attempt = 0;
  }

  // Closes this socket and opens a new one (after the usual backoff): the way back when
  // the server could not finish a join on this one.
  restart() {
    this.socket?.close();
  }

  retryNow() {
    this.attempt = 0;
    this.connect();
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = 0;
    if (this.socket) return;
    if (!navigator.onLine) {
      this.on.state('offline');
      return;
    }
    this.on.state(this.everOpened ? 'reconnecting' : 'connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = new URLSearchParams({ username: this.username });
    const ws = new WebSocket(`${scheme}://${location.host}/v1/ws?${query}`);
    this.socket = ws;
    ws.addEventListener('open', () => {
      if (this.socket !== ws) return;
      this.everOpened = true;
      this.on.open();
    });
    ws.addEventListener('message', (event) => {
      if (this.socket !== ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        console.warn('parley: ignoring a frame that is not JSON');
        return;
      }
      if (frame !== null && typeof frame === 'object') this.on.frame(frame);
    });
    ws.addEventListener('close', (event) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.everOpened = true;  // from here on every connect is a reconnect
      this.on.closed(CLOSE_REASONS[event.code] ?? '');
      this.scheduleReconnect();
    });
  }

  scheduleReconnect() {
    clearTimeout(this.retryTimer);
    if (!navigator.onLine) {
      this.on.state('offline');
      return;
    }
    // A little jitter keeps the clients of a restarted server from arriving all at once.
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    const delay = ceiling * (0.8 + Math.random() * 0.2);
    this.attempt += 1;
    this.on.state('reconnecting');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
