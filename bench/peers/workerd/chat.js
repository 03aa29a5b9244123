// The seed 004 chat as its seed wrote it: a Worker entry that routes /ws to the ChatRoom
// Durable Object named after the room, and the ChatRoom itself with the WebSocket
// hibernation API (acceptWebSocket, webSocketMessage, webSocketClose) and its history in
// the object's SQLite storage (ctx.storage.sql) instead of D1, which workerd does not have.
//
// Two changes from the seed's text, both for a fair comparison with parley: the history is
// sent before user_joined (parley's order, so a join ends at the presence frame everywhere),
// and a send to a socket that is closing is skipped instead of throwing.
import { DurableObject } from 'cloudflare:workers';

const HISTORY_LIMIT = 50;

export class ChatRoom extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS messages (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         username TEXT NOT NULL,
         message TEXT NOT NULL,
         timestamp INTEGER NOT NULL)`);
  }

  async fetch(request) {
    const url = new URL(request.url);
    const username = url.searchParams.get('username') || 'Anonymous';

    const pair = new WebSocketPair();
    const [client, server] = Object.values(pair);
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ username, joinedAt: Date.now() });

    this.sendChatHistory(server);
    this.broadcastUserEvent('user_joined', username);

    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws, message) {
    if (typeof message !== 'string') return;
    const { username } = ws.deserializeAttachment();
    const timestamp = Date.now();
    this.ctx.storage.sql.exec(
      'INSERT INTO messages (username, message, timestamp) VALUES (?, ?, ?)',
      username, message, timestamp);
    this.broadcast(JSON.stringify({ type: 'chat', username, message, timestamp }));
  }

  async webSocketClose(ws, code) {
    const { username } = ws.deserializeAttachment();
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, 'bye');
    } catch (e) {
      // Already closed: nothing to answer.
    }
    this.broadcastUserEvent('user_left', username, ws);
  }

  async webSocketError(ws) {
    const { username } = ws.deserializeAttachment();
    this.broadcastUserEvent('user_left', username, ws);
  }

  broadcastUserEvent(event, username, leaving) {
    const sockets = this.ctx.getWebSockets().filter((s) => s !== leaving);
    this.broadcast(
      JSON.stringify({ type: 'presence', event, username, userCount: sockets.length }), sockets);
  }

  broadcast(payload, sockets = this.ctx.getWebSockets()) {
    for (const ws of sockets) {
      try {
        ws.send(payload);
      } catch (e) {
        // The socket closed between getWebSockets() and here; webSocketClose handles it.
      }
    }
  }

  sendChatHistory(ws) {
    const rows = this.ctx.storage.sql
        .exec('SELECT username, message, timestamp FROM messages ORDER BY id DESC LIMIT ?',
              HISTORY_LIMIT)
        .toArray();
    ws.send(JSON.stringify({ type: 'history', messages: rows.reverse() }));
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/ws') {
      if (request.headers.get('Upgrade') !== 'websocket') {
        return new Response('Expected a WebSocket upgrade', { status: 426 });
      }
      const room = url.searchParams.get('room') || 'general';
      return env.CHAT_ROOM.getByName(room).fetch(request);
    }
    return new Response('Not Found', { status: 404 });
  },
};
