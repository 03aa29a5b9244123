"""A minimal blocking WebSocket client (RFC 6455, text frames, no extensions), stdlib only.

Used to check that a server speaks the seed 004 chat protocol (or its Socket.IO form) before
it is benchmarked, and by the tests of the peers. Not a load generator: one socket, blocking
reads with a deadline.
"""

import base64
import hashlib
import json
import os
import socket
import struct
import time

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class WsError(Exception):
    pass


class WsClient:
    """One client connection. Every read has a deadline, so a silent server fails a check
    instead of hanging it."""

    def __init__(self, host, port, path, timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.timeout = timeout
        self.buf = b""
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = self._read_until(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode(errors="replace")
        if " 101 " not in status_line + " ":
            raise WsError(f"upgrade refused: {status_line}")
        expected = base64.b64encode(hashlib.sha1(key.encode() + _GUID).digest()).decode()
        if expected.lower() not in head.decode(errors="replace").lower():
            raise WsError("bad Sec-WebSocket-Accept")

    def _read_more(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WsError("timed out")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout as e:
            raise WsError("timed out") from e
        if not chunk:
            raise WsError("connection closed by the server")
        self.buf += chunk

    def _read_until(self, marker):
        deadline = time.monotonic() + self.timeout
        while marker not in self.buf:
            self._read_more(deadline)
        head, self.buf = self.buf.split(marker, 1)
        return head

    def _read_exact(self, n, deadline):
        while len(self.buf) < n:
            self._read_more(deadline)
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send_text(self, text):
        payload = text.encode()
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def recv_text(self, timeout=None):
        """Returns the next text message; answers pings; raises WsError on close/timeout."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            b0, b1 = self._read_exact(2, deadline)
            n = b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._read_exact(2, deadline))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._read_exact(8, deadline))
            payload = self._read_exact(n, deadline)
            opcode = b0 & 0x0F
            if opcode == 0x1:
                return payload.decode()
            if opcode == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                raise WsError(f"closed by the server with code {code}")
            if opcode == 0x9:
                self._send_control(0xA, payload)

    def _send_control(self, opcode, payload=b""):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload)) + mask + masked)

    def close(self):
        try:
            self._send_control(0x8, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()


class ChatClient:
    """A chat member speaking seed 004 ("seed004") or its Socket.IO 4 form ("socketio").
    recv() returns the next event as a dict with at least "type"."""

    def __init__(self, host, port, username, room, protocol="seed004", timeout=5.0):
        self.protocol = protocol
        query = f"username={username}&room={room}"
        if protocol == "socketio":
            path = f"/socket.io/?EIO=4&transport=websocket&{query}"
            self.ws = WsClient(host, port, path, timeout)
            if not self.ws.recv_text().startswith("0{"):
                raise WsError("no Engine.IO open packet")
            self.ws.send_text("40")
            if not self.ws.recv_text().startswith("40"):
                raise WsError("no Socket.IO connect packet")
        else:
            self.ws = WsClient(host, port, f"/ws?{query}", timeout)

    def send(self, text):
        if self.protocol == "socketio":
            self.ws.send_text("42" + json.dumps(["message", text]))
        else:
            self.ws.send_text(text)

    def recv(self, timeout=None):
        while True:
            text = self.ws.recv_text(timeout)
            if self.protocol != "socketio":
                return json.loads(text)
            if text == "2":  # Engine.IO ping
                self.ws.send_text("3")
                continue
            if text.startswith("42"):
                name, data = json.loads(text[2:])[:2]
                event = dict(data)
                event.setdefault("type", name)
                return event

    def recv_type(self, wanted, timeout=None):
        """Skips events until one of type `wanted` arrives."""
        while True:
            event = self.recv(timeout)
            if event.get("type") == wanted:
                return event

    def close(self):
        self.ws.close()


def check_chat_server(host, port, protocol="seed004", room="bench-check"):
    """Runs the seed 004 flow against a server: two members join, one sends, both receive the
    chat, a third joiner gets it in history, a leave is announced. Returns None when it all
    works, else a sentence saying what did not."""
    try:
        alice = ChatClient(host, port, "alice", room, protocol)
        history = alice.recv()
        if history.get("type") != "history" or "messages" not in history:
            return f"first frame is not history: {history}"
        # The joiner's own presence frame: parley sends a snapshot, the seed user_joined.
        joined = alice.recv_type("presence")
        if not (joined.get("event") == "user_joined" and joined.get("username") == "alice"
                or joined.get("event") == "snapshot" and "alice" in joined.get("users", [])):
            return f"joiner did not get a presence frame naming it: {joined}"
        bob = ChatClient(host, port, "bob", room, protocol)
        bob.recv_type("history")
        seen = alice.recv_type("presence")
        if seen.get("username") != "bob" or seen.get("userCount") != 2:
            return f"alice did not see bob join with userCount 2: {seen}"
        bob.send("hello from bob")
        for name, member in (("alice", alice), ("bob", bob)):
            chat = member.recv_type("chat")
            if chat.get("message") != "hello from bob" or chat.get("username") != "bob":
                return f"{name} got a wrong chat frame: {chat}"
            if not isinstance(chat.get("timestamp"), int):
                return f"{name} got a chat frame without a timestamp: {chat}"
        carol = ChatClient(host, port, "carol", room, protocol)
        messages = carol.recv_type("history")["messages"]
        if not messages or messages[-1].get("message") != "hello from bob":
            return f"carol's history lacks the message: {messages}"
        carol.close()
        left = alice.recv_type("presence")
        while left.get("event") != "user_left":
            left = alice.recv_type("presence")
        if left.get("username") != "carol":
            return f"wrong user_left: {left}"
        alice.close()
        bob.close()
        return None
    except (OSError, WsError, ValueError, KeyError, TypeError) as e:
        return f"{type(e).__name__}: {e}"
