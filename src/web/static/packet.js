// parley's binary packets for browsers (and Node): the native protocol's JSON in a binary
// WebSocket message, behind a 16-byte header with a CRC-32 and an optional LZ4 block body.
// docs/protocol.md ("Binary packets") is the layout; this file has no dependencies.
//
//   const ws = new WebSocket(url); ws.binaryType = 'arraybuffer';
//   ws.send(encodePacket(JSON.stringify({ type: 'ping' })));
//   ws.onmessage = (e) => { const json = typeof e.data === 'string' ? e.data : decodePacket(e.data); };

export const MAGIC = 0x50;  // 'P'
export const VERSION = 1;
export const HEADER_BYTES = 16;
export const FLAG_LZ4 = 0x01;

// A packet that cannot be read; `code` is the name parley uses for the same refusal.
export class PacketError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'PacketError';
    this.code = code;
  }
}

// ---- CRC-32 (IEEE 802.3, as zlib's crc32) ----

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c & 1) ? (0xEDB88320 ^ (c >>> 1)) : (c >>> 1);
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let c = 0xFFFFFFFF;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}

// ---- LZ4 block format ----

const MIN_MATCH = 4;
const LAST_LITERALS = 5;  // a block ends with at least 5 literals
const MATCH_SAFE = 12;    // and its last match starts at least 12 bytes before the end
const HASH_BITS = 12;

function read32(b, i) {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

function writeLength(dst, op, rest) {
  while (rest >= 255) {
    dst[op++] = 255;
    rest -= 255;
  }
  dst[op++] = rest;
  return op;
}

// One sequence: literals src[from, from + lit), then (when matchLen > 0) a match.
function writeSequence(dst, op, src, from, lit, offset, matchLen) {
  const ml = matchLen > 0 ? matchLen - MIN_MATCH : 0;
  dst[op++] = (Math.min(lit, 15) << 4) | (matchLen > 0 ? Math.min(ml, 15) : 0);
  if (lit >= 15) op = writeLength(dst, op, lit - 15);
  dst.set(src.subarray(from, from + lit), op);
  op += lit;
  if (matchLen > 0) {
    dst[op++] = offset & 0xFF;
    dst[op++] = offset >>> 8;
    if (ml >= 15) op = writeLength(dst, op, ml - 15);
  }
  return op;
}

// Compresses `src` (Uint8Array) into one LZ4 block: a greedy single-pass matcher, small
// rather than tight. Any LZ4 decoder reads its output.
export function lz4Compress(src) {
  const n = src.length;
  const dst = new Uint8Array(n + Math.ceil(n / 255) + 16);
  let op = 0;
  let anchor = 0;
  if (n > MATCH_SAFE) {
    const table = new Int32Array(1 << HASH_BITS).fill(-1);
    const lastStart = n - MATCH_SAFE;  // a match may start before this
    const maxEnd = n - LAST_LITERALS;  // and end at or before this
    let ip = 0;
    while (ip < lastStart) {
      const seq = read32(src, ip);
      const h = Math.imul(seq, 2654435761) >>> (32 - HASH_BITS);
      const ref = table[h];
      table[h] = ip;
      if (ref >= 0 && ip - ref <= 65535 && read32(src, ref) === seq) {
        let len = MIN_MATCH;
        while (ip + len < maxEnd && src[ref + len] === src[ip + len]) len++;
        op = writeSequence(dst, op, src, anchor, ip - anchor, ip - ref, len);
        ip += len;
        anchor = ip;
      } else {
        ip++;
      }
    }
  }
  op = writeSequence(dst, op, src, anchor, n - anchor, 0, 0);
  return dst.subarray(0, op);
}

// Decodes one LZ4 block that must give exactly `size` bytes. Never writes past `size`:
// a block that would is refused.
export function lz4Decompress(src, size) {
  const bad = () => new PacketError('bad_packet',
    "The packet's LZ4 body does not decode to its declared payload length.");
  const dst = new Uint8Array(size);
  let ip = 0;
  let op = 0;
  const readLength = (base) => {
    let len = base;
    let b;
    do {
      if (ip >= src.length) throw bad();
      b = src[ip++];
      len += b;
    } while (b === 255);
    return len;
  };
  for (;;) {
    if (ip >= src.length) throw bad();
    const token = src[ip++];
    let lit = token >>> 4;
    if (lit === 15) lit = readLength(15);
    if (ip + lit > src.length || op + lit > size) throw bad();
    dst.set(src.subarray(ip, ip + lit), op);
    ip += lit;
    op += lit;
    if (ip === src.length) break;  // the last sequence has literals only
    if (ip + 2 > src.length) throw bad();
    const offset = src[ip] | (src[ip + 1] << 8);
    ip += 2;
    if (offset === 0 || offset > op) throw bad();
    let len = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) len = readLength(len);
    if (op + len > size) throw bad();
    for (let i = 0; i < len; i++, op++) dst[op] = dst[op - offset];
  }
  if (op !== size) throw bad();
  return dst;
}

// ---- packets ----

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

// One packet (Uint8Array) carrying `json` (a string). The body is LZ4-compressed when the
// UTF-8 JSON has at least `compressMinBytes` bytes (0 = never) and compression makes it
// smaller, as parley does with limits.packet_compress_min_bytes.
export function encodePacket(json, { compressMinBytes = 512 } = {}) {
  const payload = encoder.encode(json);
  let body = payload;
  let flags = 0;
  if (compressMinBytes > 0 && payload.length >= compressMinBytes) {
    const packed = lz4Compress(payload);
    if (packed.length < payload.length) {
      body = packed;
      flags = FLAG_LZ4;
    }
  }
  const out = new Uint8Array(HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  out[0] = MAGIC;
  out[1] = VERSION;
  out[2] = flags;
  out[3] = 0;
  view.setUint32(4, payload.length, true);
  view.setUint32(8, body.length, true);
  view.setUint32(12, crc32(payload), true);
  out.set(body, HEADER_BYTES);
  return out;
}

// The header fields of `packet` (ArrayBuffer or Uint8Array), unchecked; null when shorter
// than the header.
export function readHeader(packet) {
  const bytes = packet instanceof Uint8Array ? packet : new Uint8Array(packet);
  if (bytes.length < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  return {
    magic: bytes[0], version: bytes[1], flags: bytes[2], reserved: bytes[3],
    payloadBytes: view.getUint32(4, true), bodyBytes: view.getUint32(8, true),
    crc32: view.getUint32(12, true),
  };
}

// The JSON text (a string) in `packet`. Checks the header before allocating anything: a
// payload declared over `maxPayloadBytes` is refused. Throws PacketError with parley's codes.
export function decodePacket(packet, { maxPayloadBytes = 16 << 20 } = {}) {
  const bytes = packet instanceof Uint8Array ? packet : new Uint8Array(packet);
  const h = readHeader(bytes);
  if (!h) throw new PacketError('truncated_packet', 'A packet starts with a 16-byte header.');
  if (h.magic !== MAGIC) throw new PacketError('bad_packet', "A packet starts with 0x50 ('P').");
  if (h.version !== VERSION) {
    throw new PacketError('unsupported_version', `Packet version ${h.version} is not supported.`);
  }
  if ((h.flags & ~FLAG_LZ4) !== 0 || h.reserved !== 0) {
    throw new PacketError('bad_packet', 'Reserved packet bits must be 0.');
  }
  if (h.payloadBytes > maxPayloadBytes) {
    throw new PacketError('packet_too_large',
      `A packet's payload is at most ${maxPayloadBytes} bytes; this one declares ${h.payloadBytes}.`);
  }
  const body = bytes.subarray(HEADER_BYTES);
  if (h.bodyBytes > body.length) {
    throw new PacketError('truncated_packet', 'The packet is shorter than its body length.');
  }
  if (h.bodyBytes < body.length) throw new PacketError('bad_packet', 'Bytes after the body.');
  let payload;
  if (h.flags & FLAG_LZ4) {
    payload = lz4Decompress(body, h.payloadBytes);
  } else {
    if (h.bodyBytes !== h.payloadBytes) {
      throw new PacketError('bad_packet', 'An uncompressed body must be as long as the payload.');
    }
    payload = body;
  }
  if (crc32(payload) !== h.crc32) {
    throw new PacketError('bad_checksum', "The packet's CRC-32 does not match its payload.");
  }
  try {
    return decoder.decode(payload);
  } catch {
    throw new PacketError('bad_request', "A packet's payload must be UTF-8 JSON.");
  }
}
