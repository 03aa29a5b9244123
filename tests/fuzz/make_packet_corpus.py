#!/usr/bin/env python3
"""Writes the seed corpus of parley's binary packet fuzzer (src/protocol/packet_fuzz_driver.cc).

Each file is the bytes of one binary WebSocket message as a client sends it: a packet as
docs/protocol.md ("Binary packets") lays it out, valid or broken in one way. Seeds are
named seed_*; files the fuzzer found keep their own names. Rerunning rewrites only the
seed_* files.
"""
import os
import struct
import sys
import zlib

MAGIC, VERSION, LZ4 = 0x50, 1, 0x01


def header(payload_len, body_len, crc, version=VERSION, flags=0, reserved=0, magic=MAGIC):
    return struct.pack("<BBBBIII", magic, version, flags, reserved, payload_len, body_len, crc)


def raw(payload, **kw):
    return header(len(payload), len(payload), zlib.crc32(payload), **kw) + payload


def lz4_literals(data):
    """One LZ4 block holding `data` as literals only (always valid)."""
    n = len(data)
    out = bytearray()
    if n < 15:
        out.append(n << 4)
    else:
        out.append(0xF0)
        rest = n - 15
        while rest >= 255:
            out.append(255)
            rest -= 255
        out.append(rest)
    return bytes(out) + data


def lz4_run(byte, n):
    """One LZ4 block for `n` (>= 17) copies of `byte`: a literal, one match, 5 literals."""
    match = n - 1 - 5
    out = bytearray([0x10 | min(match - 4, 15)]) + bytes([byte]) + struct.pack("<H", 1)
    if match - 4 >= 15:
        rest = match - 4 - 15
        while rest >= 255:
            out.append(255)
            rest -= 255
        out.append(rest)
    return bytes(out) + lz4_literals(bytes([byte]) * 5)


def lz4(payload, body, **kw):
    return header(len(payload), len(body), zlib.crc32(payload), flags=LZ4, **kw) + body


PING = b'{"type":"ping"}'
MSG = b'{"type":"message","room":"general","text":"hello","clientId":"c-1"}'
RUN = b"a" * 3000

SEEDS = {
    "ping": raw(PING),
    "message": raw(MSG),
    "empty": raw(b""),
    "lz4_literals": lz4(MSG, lz4_literals(MSG)),
    "lz4_run": lz4(RUN, lz4_run(ord("a"), len(RUN))),
    "bomb_declared": lz4(b"", lz4_run(0, 1 << 20))[:4] + struct.pack("<I", 1 << 20)
    + lz4(b"", lz4_run(0, 1 << 20))[8:],
    "bomb_lying": header(100, len(lz4_run(0, 1 << 16)), zlib.crc32(b"\0" * 100), flags=LZ4)
    + lz4_run(0, 1 << 16),
    "bad_crc": header(len(PING), len(PING), zlib.crc32(PING) ^ 1) + PING,
    "version_2": raw(PING, version=2),
    "bad_magic": raw(PING, magic=0x7B),
    "reserved_flags": raw(PING, flags=0x80),
    "truncated_header": raw(PING)[:9],
    "truncated_body": raw(MSG)[:-4],
    "trailing": raw(PING) + b"!",
    "lz4_garbage": lz4(PING, b"\xff" * 20),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "packet")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, "seed_" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
