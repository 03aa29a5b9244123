// The seed 004 chat on Node.js and the `ws` package: one process, rooms and their last 50
// messages in memory. Listens on 127.0.0.1:$PORT and prints `listening on PORT` when ready.
'use strict';

const http = require('http');
const { WebSocketServer } = require('ws');

const HISTORY_LIMIT = 50;
const port = Number(process.env.PORT || 8788);

// room name -> { sockets: Set<WebSocket>, history: [{username, message, timestamp}] }
const rooms = new Map();

function roomOf(name) {
  let room = rooms.get(name);
  if (!room) {
    room = { sockets: new Set(), history: [] };
    rooms.set(name, room);
  }
  return room;
}

// Serialized once, sent to every member: the same work the seed's broadcast does.
function broadcast(room, payload) {
  const text = JSON.stringify(payload);
  for (const socket of room.sockets) socket.send(text);
}

const server = http.createServer((req, res) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":"not_found","message":"No such route."}');
});

// perMessageDeflate off: parley compresses nothing, so neither do the peers.
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, maxPayload: 65536 });

wss.on('connection', (socket, req) => {
  const url = new URL(req.url, 'http://localhost');
  const username = url.searchParams.get('username') || 'Anonymous';
  const roomName = url.searchParams.get('room') || 'general';
  const room = roomOf(roomName);
  room.sockets.add(socket);

  socket.send(JSON.stringify({ type: 'history', messages: room.history }));
  broadcast(room, { type: 'presence', event: 'user_joined', username, userCount: room.sockets.size });

  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const entry = { username, message: data.toString(), timestamp: Date.now() };
    room.history.push(entry);
    if (room.history.length > HISTORY_LIMIT) room.history.shift();
    broadcast(room, { type: 'chat', ...entry });
  });

  socket.on('close', () => {
    room.sockets.delete(socket);
    broadcast(room, { type: 'presence', event: 'user_left', username, userCount: room.sockets.size });
  });
  socket.on('error', () => socket.terminate());
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const client of wss.clients) client.terminate();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
