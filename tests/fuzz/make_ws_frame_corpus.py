#!/usr/bin/env python3
"""Writes the seed corpus of parley's WebSocket frame fuzzer (src/protocol/ws/frame_fuzz_driver.cc).

Each file: byte 0 seeds the chunking, byte 1 picks the message size limit (>= 0x80: the
default 65536; below: byte * 4), then the bytes a client sends. Seeds are named seed_*;
files the fuzzer found (crashers, interesting inputs) keep their own names. Rerunning
rewrites only the seed_* files.
"""
import os
import struct
import sys

MASK = b"\x37\xfa\x21\x3d"
DEFAULT = 0x80


def frame(op, payload=b"", fin=True, masked=True, rsv=0, length_form=None):
    b0 = (0x80 if fin else 0) | rsv | op
    n = len(payload)
    form = length_form or (7 if n < 126 else 16 if n < 65536 else 64)
    mbit = 0x80 if masked else 0
    if form == 7:
        head = bytes([b0, mbit | n])
    elif form == 16:
        head = bytes([b0, mbit | 126]) + struct.pack(">H", n)
    else:
        head = bytes([b0, mbit | 127]) + struct.pack(">Q", n)
    if not masked:
        return head + payload
    return head + MASK + bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))


def close(code, reason=b""):
    return frame(8, struct.pack(">H", code) + reason)


SEEDS = {
    "text_hello": (0, DEFAULT, frame(1, b"Hello")),
    "binary_256": (1, DEFAULT, frame(2, bytes(range(256)))),
    "text_utf8": (2, DEFAULT, frame(1, "καλημέρα 💬 chat".encode())),
    "many_small": (3, DEFAULT, b"".join(frame(1, b"msg %d" % i) for i in range(20))),
    "fragmented_text": (4, DEFAULT, frame(1, b"Hel", fin=False) + frame(0, b"lo")),
    "fragmented_split_codepoint": (5, DEFAULT, frame(1, b"\xe2", fin=False)
                                   + frame(0, b"\x82", fin=False) + frame(0, b"\xac")),
    "control_interleaved": (6, DEFAULT, frame(1, b"a", fin=False) + frame(9, b"ping")
                            + frame(0, b"b", fin=False) + frame(10) + frame(0, b"c")),
    "ping_pong": (7, DEFAULT, frame(9, b"x" * 125) + frame(10, b"")),
    "close_normal": (8, DEFAULT, close(1000, b"bye") + frame(1, b"after close")),
    "close_empty": (9, DEFAULT, frame(8)),
    "close_one_byte": (10, DEFAULT, frame(8, b"\x03")),
    "close_bad_code": (11, DEFAULT, close(1005)),
    "close_bad_reason": (12, DEFAULT, close(1000, b"\xff")),
    "unmasked": (13, DEFAULT, frame(1, b"hi", masked=False)),
    "rsv1": (14, DEFAULT, frame(1, b"hi", rsv=0x40)),
    "opcode_reserved": (15, DEFAULT, frame(3, b"") + frame(0xB, b"")),
    "control_too_long": (16, DEFAULT, frame(9, b"p" * 126)),
    "control_fragmented": (17, DEFAULT, frame(9, b"p", fin=False)),
    "continuation_alone": (18, DEFAULT, frame(0, b"x")),
    "new_message_while_open": (19, DEFAULT, frame(1, b"a", fin=False) + frame(2, b"b")),
    "bad_utf8": (20, DEFAULT, frame(1, b"ok \xc0\xaf")),
    "bad_utf8_fragment": (21, DEFAULT, frame(1, b"ok", fin=False) + frame(0, b"\xed\xa0\x80")),
    "truncated_codepoint_at_end": (22, DEFAULT, frame(1, b"\xf0\x9f", fin=False) + frame(0, b"")),
    "over_small_limit": (23, 16, frame(2, b"z" * 65)),
    "fragments_over_small_limit": (24, 16, frame(2, b"z" * 40, fin=False) + frame(0, b"z" * 30)),
    "exactly_small_limit": (25, 16, frame(1, b"z" * 64)),
    "len16": (26, DEFAULT, frame(2, b"q" * 300)),
    "len16_nonminimal": (27, DEFAULT, frame(2, b"abc", length_form=16)),
    "len64_nonminimal": (28, DEFAULT, frame(2, b"abc", length_form=64)),
    "len64_top_bit": (29, DEFAULT, bytes([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1]) + MASK),
    "len64_huge": (30, DEFAULT, bytes([0x82, 0xFF, 0, 0, 0, 1, 0, 0, 0, 0]) + MASK),
    "incomplete_header": (31, DEFAULT, bytes([0x81])),
    "incomplete_payload": (32, DEFAULT, frame(1, b"hello world")[:-3]),
    "empty_messages": (33, DEFAULT, frame(1) + frame(2) + frame(1, fin=False) + frame(0)),
    "mixed_stream": (34, DEFAULT, frame(1, b"x" * 130) + frame(9) + frame(2, b"\x00\xff")
                     + frame(1, "é".encode() * 40, fin=False) + frame(10, b"pong")
                     + frame(0, b"!") + close(4000, b"done")),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "ws_frame")
    os.makedirs(out, exist_ok=True)
    for name, (seed, limit, stream) in SEEDS.items():
        with open(os.path.join(out, "seed_" + name), "wb") as f:
            f.write(bytes([seed, limit]) + stream)


if __name__ == "__main__":
    main()
