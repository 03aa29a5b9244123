// "bob is typing…": this page says it is typing at most every few seconds while keys are
// pressed and that it stopped on send, blur or a pause; other people's indicators fade
// when nothing has been heard from them for a while (a stop can be lost with a dropped
// connection).

const REPEAT_MS = 3000;  // resend "typing" this often while typing continues
const IDLE_MS = 4000;  // no key for this long: stopped
const EXPIRE_MS = 6000;  // someone else's indicator without news for this long: gone

// The outgoing side. send(active) sends one typing frame and returns whether it went out.
export class TypingSignal {
  constructor(send) {
    this.send = send;
    this.active = false;
    this.lastSent = 0;
    this.idleTimer = 0;
  }

  // A key was pressed in the composer; `empty` says whether it is empty now.
  input(empty) {
    if (empty) {
      this.stop();
      return;
    }
    const now = Date.now();
    if (!this.active || now - this.lastSent >= REPEAT_MS) {
      if (this.send(true)) {
        this.active = true;
        this.lastSent = now;
      }
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
  }

  stop() {
    clearTimeout(this.idleTimer);
    if (this.active) this.send(false);
    this.active = false;
  }

  // The socket dropped: the server forgets it anyway.
  reset() {
    clearTimeout(this.idleTimer);
    this.active = false;
  }
}

// The incoming side: shows who is typing in `element`.
export class TypingIndicator {
  constructor(element, me) {
    this.element = element;
    this.me = me;
    this.timers = new Map();  // username -> expiry timer
  }

  apply(username, active) {
    if (typeof username !== 'string' || username === this.me) return;
    clearTimeout(this.timers.get(username));
    if (active) {
      this.timers.set(username, setTimeout(() => this.apply(username, false), EXPIRE_MS));
    } else {
      this.timers.delete(username);
    }
    this.render();
  }

  clear() {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.render();
  }

  render() {
    const names = [...this.timers.keys()].sort((a, b) => a.localeCompare(b));
    let text = '';
    if (names.length === 1) text = `${names[0]} is typing…`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
    else if (names.length > 2) text = `${names.length} people are typing…`;
    this.element.textContent = text;
    this.element.classList.toggle('active', names.length > 0);
  }
}
