// The seed 004 chat on Socket.IO 4, WebSocket transport only, at /socket.io/. A client
// connects to /socket.io/?EIO=4&transport=websocket&username=U&room=R, gets "history" and
// "presence" events, and sends a chat message as the event "message" with a string.
// Listens on 127.0.0.1:$PORT and prints `listening on PORT` when ready.
'use strict';

const http = require('http');
const { Server } = require('socket.io');

const HISTORY_LIMIT = 50;
const port = Number(process.env.PORT || 8789);

const histories = new Map(); // room name -> [{username, message, timestamp}]

const httpServer = http.createServer();
const io = new Server(httpServer, {
  path: '/socket.io/',
  transports: ['websocket'],
  serveClient: false,
  // parley compresses nothing, so neither do the peers.
  perMessageDeflate: false,
  httpCompression: false,
  maxHttpBufferSize: 65536,
  // Default pings every 25 s would be noise; a minute keeps idle clients alive without
  // making heartbeats part of what is measured.
  pingInterval: 60000,
  pingTimeout: 60000,
});

function memberCount(room) {
  const members = io.sockets.adapter.rooms.get(room);
  return members ? members.size : 0;
}

io.on('connection', (socket) => {
  const query = socket.handshake.query;
  const username = typeof query.username === 'string' && query.username ? query.username : 'Anonymous';
  const room = typeof query.room === 'string' && query.room ? query.room : 'general';
  let history = histories.get(room);
  if (!history) {
    history = [];
    histories.set(room, history);
  }
  socket.join(room);

  socket.emit('history', { type: 'history', messages: history });
  io.to(room).emit('presence', { type: 'presence', event: 'user_joined', username, userCount: memberCount(room) });

  socket.on('message', (text) => {
    if (typeof text !== 'string') return;
    const entry = { username, message: text, timestamp: Date.now() };
    history.push(entry);
    if (history.length > HISTORY_LIMIT) history.shift();
    io.to(room).emit('chat', { type: 'chat', ...entry });
  });

  socket.on('disconnect', () => {
    io.to(room).emit('presence', { type: 'presence', event: 'user_left', username, userCount: memberCount(room) });
  });
});

httpServer.listen(port, '127.0.0.1', () => {
  console.log(`listening on ${httpServer.address().port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    io.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
