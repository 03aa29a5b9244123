// Binary packets from a browser: the page loads parley's own /packet.js, talks to /v1/ws in
// binary (WebSocket binaryType 'arraybuffer'), and sends and receives a message both
// uncompressed and LZ4-compressed, next to a JSON member of the same room. The same module
// is also checked in Node: CRC-32, the LZ4 codec's round trip, and the worked examples in
// docs/protocol.md.
//
//   PARLEY_BIN=/path/to/parley node --test tests/e2e/packet.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchBrowser, startServer, stopServer } from './harness.mjs';
import {
  crc32, decodePacket, encodePacket, lz4Compress, lz4Decompress,
} from '../../src/web/static/packet.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOM = 'e2e-packet';

describe('packet.js on its own', () => {
  it('computes the standard CRC-32', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xCBF43926);
  });

  it('decodes every packet example in docs/protocol.md to the JSON shown with it', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'protocol.md'), 'utf8');
    const re = /<!-- packet: (\w+) -->\s*```hex\n([\s\S]*?)\n```[\s\S]*?```json\n([\s\S]*?)\n```/g;
    const names = [];
    for (const [, name, hex, json] of doc.matchAll(re)) {
      const bytes = Uint8Array.from(hex.trim().split(/\s+/).map((h) => parseInt(h, 16)));
      assert.equal(decodePacket(bytes), json, name);
      names.push(name);
    }
    assert.deepEqual(names, ['ping', 'message_lz4']);
    // The uncompressed example is byte for byte what encodePacket writes.
    const ping = encodePacket('{"type":"ping"}');
    assert.equal(Buffer.from(ping).toString('hex'), '500100000f0000000f0000009c307c49'
      + Buffer.from('{"type":"ping"}').toString('hex'));
  });

  it('round-trips LZ4 blocks of every size and shape', () => {
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let t = 0; t < 500; t++) {
      const n = Math.floor(rnd() * 4000);
      const alphabet = 1 + Math.floor(rnd() * 40);
      const data = Uint8Array.from({ length: n }, () => Math.floor(rnd() * alphabet));
      assert.deepEqual(lz4Decompress(lz4Compress(data), n), data, `size ${n}`);
    }
  });

  it('refuses damaged, oversized, truncated and future packets by parley\'s codes', () => {
    const good = encodePacket('{"type":"ping"}');
    const damaged = good.slice();
    damaged[20] ^= 1;
    const future = good.slice();
    future[1] = 2;
    const bomb = encodePacket('x'.repeat(1 << 20), { compressMinBytes: 1 });
    const cases = [
      [damaged, 'bad_checksum'], [future, 'unsupported_version'],
      [good.subarray(0, 20), 'truncated_packet'], [good.subarray(0, 3), 'truncated_packet'],
    ];
    for (const [bytes, code] of cases) {
      assert.throws(() => decodePacket(bytes), (e) => e.code === code, code);
    }
    assert.throws(() => decodePacket(bomb, { maxPayloadBytes: 65536 }),
      (e) => e.code === 'packet_too_large');
  });
});

describe('binary packets against the real server', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    stopServer(server);
  });

  it('sends and receives a message in binary, uncompressed and compressed', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/api/health`);
    const longText = 'binary packets travel light. '.repeat(100);
    const result = await page.evaluate(async ({ room, longText }) => {
      const { encodePacket, decodePacket, readHeader } = await import('/packet.js');
      const open = (username) => new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/v1/ws?username=${username}`);
        ws.binaryType = 'arraybuffer';
        ws.frames = [];
        ws.waiters = [];
        ws.onmessage = (event) => {
          const binary = typeof event.data !== 'string';
          const frame = {
            binary,
            compressed: binary && (readHeader(event.data).flags & 1) === 1,
            json: JSON.parse(binary ? decodePacket(event.data) : event.data),
          };
          ws.frames.push(frame);
          ws.waiters = ws.waiters.filter((w) => !w(frame));
        };
        ws.onopen = () => resolve(ws);
        ws.onerror = () => reject(new Error(`${username}: socket failed`));
      });
      // Resolves with the first frame (already received or next) that `pred` accepts.
      const next = (ws, pred) => new Promise((resolve, reject) => {
        const seen = ws.frames.find(pred);
        if (seen) {
          ws.frames.splice(ws.frames.indexOf(seen), 1);
          resolve(seen);
          return;
        }
        const timer = setTimeout(() => reject(new Error('no frame in time')), 10000);
        ws.waiters.push((f) => {
          if (!pred(f)) return false;
          clearTimeout(timer);
          ws.frames.splice(ws.frames.indexOf(f), 1);
          resolve(f);
          return true;
        });
      });
      const snapshot = (f) => f.json.type === 'presence' && f.json.event === 'snapshot';
      const sendPacket = (ws, obj, compressMinBytes) => ws.send(
        encodePacket(JSON.stringify(obj), { compressMinBytes }));

      const alice = await open('alice');  // binary
      const bob = await open('bob');      // binary, reads what alice sends
      const carol = await open('carol');  // JSON text
      sendPacket(alice, { type: 'join', room }, 0);
      await next(alice, snapshot);
      sendPacket(bob, { type: 'join', room }, 0);
      await next(bob, snapshot);
      carol.send(JSON.stringify({ type: 'join', room }));
      await next(carol, snapshot);

      const out = {};
      // Uncompressed: a short message, and threshold 0 (never compress) on the way in.
      sendPacket(alice, { type: 'message', room, text: 'short and binary', clientId: 'p-1' }, 0);
      out.ack1 = await next(alice, (f) => f.json.type === 'ack');
      out.bob1 = await next(bob, (f) => f.json.type === 'chat');
      out.carol1 = await next(carol, (f) => f.json.type === 'chat');
      // Compressed both ways: a long message, compressed by packet.js's LZ4 encoder.
      sendPacket(alice, { type: 'message', room, text: longText, clientId: 'p-2' }, 1);
      out.ack2 = await next(alice, (f) => f.json.type === 'ack');
      out.bob2 = await next(bob, (f) => f.json.type === 'chat');
      out.carol2 = await next(carol, (f) => f.json.type === 'chat');
      for (const ws of [alice, bob, carol]) ws.close();
      return out;
    }, { room: ROOM, longText });

    assert.equal(result.ack1.binary, true);
    assert.equal(result.ack1.json.clientId, 'p-1');
    assert.equal(result.bob1.binary, true);
    assert.equal(result.bob1.compressed, false);
    assert.equal(result.bob1.json.message, 'short and binary');
    assert.equal(result.carol1.binary, false, 'a JSON member still gets text');
    assert.deepEqual(result.carol1.json, result.bob1.json);

    assert.equal(result.ack2.json.seq, 2);
    assert.equal(result.bob2.binary, true);
    assert.equal(result.bob2.compressed, true, 'parley compresses a long frame');
    assert.equal(result.bob2.json.message, longText);
    assert.deepEqual(result.carol2.json, result.bob2.json);
    await page.close();
  });
});
