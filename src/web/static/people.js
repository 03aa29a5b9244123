// Who is in the room, for the chat page's sidebar. The server counts sockets (userCount)
// and lists distinct names: one person with two tabs is one name and two sockets. A
// per-name socket count lets "user_left" from one tab keep the name listed while another
// tab of it is still connected.

// A stable, calm colour per name so people are easy to tell apart.
function hueOf(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}

export class People {
  // list: the <ul>; counters: elements showing the number of people; room, me: strings.
  constructor({ list, counters }, room, me) {
    this.listEl = list;
    this.counters = counters;
    this.room = room;
    this.me = me;
    this.sockets = new Map();  // username -> open sockets
    this.socketCount = 0;
    this.epoch = 0;  // bumps on every snapshot; stale /api/users answers are dropped
  }

  // Applies one {"type":"presence"} frame.
  apply(f) {
    if (typeof f.userCount === 'number') this.socketCount = f.userCount;
    if (f.event === 'snapshot' && Array.isArray(f.users)) {
      this.epoch += 1;
      this.sockets.clear();
      for (const name of f.users) this.sockets.set(name, 1);
    } else if (f.event === 'user_joined' && typeof f.username === 'string') {
      this.sockets.set(f.username, (this.sockets.get(f.username) || 0) + 1);
    } else if (f.event === 'user_left' && typeof f.username === 'string') {
      const left = (this.sockets.get(f.username) || 1) - 1;
      if (left > 0) {
        this.sockets.set(f.username, left);
      } else {
        this.sockets.delete(f.username);
        // A snapshot names people but not their sockets, so some names may hold sockets
        // this page does not know of: if sockets are unaccounted for, ask the server.
        if (this.socketCount > this.attributed()) this.resync();
      }
    }
    this.render();
  }

  attributed() {
    let total = 0;
    for (const n of this.sockets.values()) total += n;
    return total;
  }

  async resync() {
    const epoch = this.epoch;
    try {
      const response = await fetch(`/api/users?room=${encodeURIComponent(this.room)}`);
      if (!response.ok) return;
      const body = await response.json();
      if (epoch !== this.epoch || !Array.isArray(body.users)) return;
      const names = new Set(body.users);
      for (const name of [...this.sockets.keys()]) {
        if (!names.has(name)) this.sockets.delete(name);
      }
      for (const name of names) if (!this.sockets.has(name)) this.sockets.set(name, 1);
      this.render();
    } catch {
      // The next presence event corrects the list anyway.
    }
  }

  render() {
    const names = [...this.sockets.keys()].sort((a, b) => {
      if (a === this.me) return -1;
      if (b === this.me) return 1;
      return a.localeCompare(b);
    });
    this.listEl.replaceChildren(...names.map((name) => this.renderPerson(name)));
    for (const counter of this.counters) {
      counter.textContent = String(names.length);
      counter.title = `${names.length} people, ${this.socketCount} connections`;
    }
  }

  renderPerson(name) {
    const li = document.createElement('li');
    li.className = 'person';
    li.dataset.username = name;
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.style.setProperty('--hue', String(hueOf(name)));
    avatar.textContent = ([...name][0] ?? '?').toUpperCase();
    const label = document.createElement('span');
    label.className = 'person-name';
    label.textContent = name;
    li.append(avatar, label);
    if (name === this.me) {
      const you = document.createElement('span');
      you.className = 'tag';
      you.textContent = 'you';
      li.appendChild(you);
    }
    const sockets = this.sockets.get(name);
    if (sockets > 1) {
      const tabs = document.createElement('span');
      tabs.className = 'tabs';
      tabs.title = `${sockets} connections`;
      tabs.textContent = `×${sockets}`;
      li.appendChild(tabs);
    }
    return li;
  }
}
