/**
 * The code of a read worker (sqlite-read-workers.ts), evaluated by Node as the worker starts (no
 * file to find next to the compiled or the source module). It opens a read-only connection to
 * the file and answers one message at a time:
 *
 * - `query`: runs a statement (rows as objects, or as arrays with `raw`);
 * - `open`, `next`, `close`: a stream of rows, in chunks, on a statement of its own;
 * - `encode`: runs a read as arrays and hands the rows to a function of a compiled module
 *   (imported once), returning its text as UTF-8 bytes, transferred rather than copied; with
 *   `deflate` (a level), the bytes deflated as a piece of a ZIP entry, with their CRC-32;
 * - `load`: imports such a module ahead of its first use, and runs its `warmUp()` if it has one.
 *
 * Errors come back with SQLite's code, for the main thread to translate.
 */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = ' + workerData.cacheSize);
const cache = new Map();
function prepare(source, raw) {
  const key = raw ? 'raw:' + source : source;
  let statement = cache.get(key);
  if (statement) cache.delete(key);
  else {
    statement = db.prepare(source);
    if (raw) statement.raw(true);
    if (cache.size >= 200) cache.delete(cache.keys().next().value);
  }
  cache.set(key, statement);
  return statement;
}
const blobs = (params) => params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
const streams = new Map();
function take(id, size) {
  const iterator = streams.get(id);
  const rows = [];
  while (rows.length < size) {
    const next = iterator.next();
    if (next.done) { streams.delete(id); return { rows, done: true }; }
    rows.push(next.value);
  }
  return { rows, done: false };
}
const modules = new Map();
async function load(url) {
  let module = modules.get(url);
  if (!module) modules.set(url, (module = await import(url)));
  return module;
}
async function encoder(url, name) {
  const module = await load(url);
  if (typeof module[name] !== 'function') throw new Error('no encoder ' + name + ' in ' + url);
  return module[name];
}
async function encode(m) {
  const rows = prepare(m.sql, true).all(blobs(m.params));
  const text = (await encoder(m.module, m.task))(rows, m.input);
  // Bytes of their own, handed over to the main thread rather than copied.
  const bytes = new Uint8Array(Buffer.byteLength(text, 'utf8'));
  Buffer.from(bytes.buffer).write(text, 'utf8');
  const last = rows.length ? rows[rows.length - 1] : null;
  if (m.deflate === undefined) {
    parentPort.postMessage({ id: m.id, bytes, count: rows.length, last }, [bytes.buffer]);
    return;
  }
  // A piece of a ZIP entry: its CRC and a raw deflate stream ended by a sync flush, which the
  // main thread puts after the pieces before it (zip-writer.ts, writeDeflated).
  const crc = zlib.crc32(bytes);
  const packed = zlib.deflateRawSync(bytes, { level: m.deflate, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const owned = new Uint8Array(packed.byteLength);
  owned.set(packed);
  parentPort.postMessage(
    { id: m.id, bytes: owned, count: rows.length, last, crc, size: bytes.byteLength },
    [owned.buffer],
  );
}
parentPort.on('message', async (m) => {
  try {
    if (m.kind === 'encode') await encode(m);
    else if (m.kind === 'load') {
      const module = await load(m.module);
      // A module may warm its code up on made-up data before its first real use.
      if (typeof module.warmUp === 'function') module.warmUp();
      parentPort.postMessage({ id: m.id, rows: [] });
    }
    else if (m.kind === 'query') {
      const statement = prepare(m.sql, m.raw === true);
      if (statement.reader) parentPort.postMessage({ id: m.id, rows: statement.all(blobs(m.params)) });
      else {
        const r = statement.run(blobs(m.params));
        parentPort.postMessage({ id: m.id, rows: [], changes: r.changes, lastInsertRowid: r.lastInsertRowid });
      }
    } else if (m.kind === 'open') {
      // A statement of its own: a cached one may be asked for again while this one iterates.
      streams.set(m.id, db.prepare(m.sql).iterate(blobs(m.params)));
      parentPort.postMessage({ id: m.id, ...take(m.id, m.size) });
    } else if (m.kind === 'next') {
      parentPort.postMessage({ id: m.id, ...take(m.stream, m.size) });
    } else if (m.kind === 'close') {
      const iterator = streams.get(m.stream);
      streams.delete(m.stream);
      if (iterator) iterator.return();
      parentPort.postMessage({ id: m.id, rows: [] });
    }
  } catch (e) {
    if (m.kind === 'next' || m.kind === 'open') streams.delete(m.stream ?? m.id);
    parentPort.postMessage({ id: m.id, error: { message: String(e && e.message), code: e && e.code, name: e && e.name } });
  }
});
`;
