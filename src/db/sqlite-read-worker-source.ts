/**
 * The code of a read worker (sqlite-read-workers.ts), evaluated by Node as the worker starts (no
 * file to find next to the compiled or the source module). It opens a read-only connection to
 * the file and answers one message at a time:
 *
 * - `query`: runs a statement; a read's rows come back as JSON text of arrays, with the column
 *   names unless `raw` asks for arrays (the main thread parses it and, without `raw`, builds the
 *   objects). A structured clone of an object per row cost about 1.2 µs a row between the two
 *   threads, JSON of arrays about 0.25 µs; rows JSON cannot carry (a blob, a big integer) come
 *   back as a structured clone instead;
 * - `open`, `next`, `close`: a stream of rows, in chunks, on a statement of its own;
 * - `encode`: runs a read as arrays and hands the rows to a function of a compiled module
 *   (imported once), returning its text as UTF-8 bytes, transferred rather than copied; with
 *   `deflate` (a level), the bytes deflated as a piece of a ZIP entry, with their CRC-32;
 * - `load`: imports such a module ahead of its first use, and runs its `warmUp()` if it has one.
 *
 * A message with a `claim` (a statement posted while the worker was busy) runs only if the worker
 * takes its slot of the shared claims first; otherwise the pool gave it to another worker, and
 * the answer is `skipped`.
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
// A statement posted while this worker was busy carries a claim slot: it runs only if this
// worker takes the slot first (0 -> 1); the pool may have taken it back for an idle worker.
const claims = new Int32Array(workerData.claims);
const cache = new Map();
// Statements by their text; a read returns arrays (raw), its column names beside it.
const names = new WeakMap();
function prepare(source) {
  let statement = cache.get(source);
  if (statement) cache.delete(source);
  else {
    statement = db.prepare(source);
    if (statement.reader) {
      statement.raw(true);
      names.set(statement, statement.columns().map((c) => c.name));
    }
    if (cache.size >= 200) cache.delete(cache.keys().next().value);
  }
  cache.set(source, statement);
  return statement;
}
// The rows as JSON text, or undefined when JSON would change a value: a blob, a BigInt, a real
// that is not finite or is -0 (JSON writes null and 0). Strings and finite numbers round-trip.
function json(rows) {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    for (let j = 0; j < r.length; j++) {
      const v = r[j];
      if (typeof v === 'number') {
        if (!Number.isFinite(v) || (v === 0 && 1 / v < 0)) return undefined;
      } else if (v !== null && typeof v !== 'string') return undefined;
    }
  }
  return JSON.stringify(rows);
}
function objects(rows, columns) {
  return rows.map((r) => {
    const o = {};
    for (let i = 0; i < columns.length; i++) o[columns[i]] = r[i];
    return o;
  });
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
  const rows = prepare(m.sql).all(blobs(m.params));
  const text = (await encoder(m.module, m.task))(rows, m.input);
  // Bytes of their own, handed over to the main thread rather than copied: a task's own bytes
  // (an encoder that writes UTF-8 as it goes, over a buffer that is its alone), or its text's.
  let bytes;
  if (text instanceof Uint8Array) bytes = text;
  else {
    bytes = new Uint8Array(Buffer.byteLength(text, 'utf8'));
    Buffer.from(bytes.buffer).write(text, 'utf8');
  }
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
  if (m.claim !== undefined && Atomics.compareExchange(claims, m.claim, 0, 1) !== 0) {
    parentPort.postMessage({ id: m.id, skipped: true });
    return;
  }
  try {
    if (m.kind === 'encode') await encode(m);
    else if (m.kind === 'load') {
      const module = await load(m.module);
      // A module may warm its code up on made-up data before its first real use.
      if (typeof module.warmUp === 'function') module.warmUp();
      parentPort.postMessage({ id: m.id, rows: [] });
    }
    else if (m.kind === 'query') {
      const statement = prepare(m.sql);
      if (statement.reader) {
        const rows = statement.all(blobs(m.params));
        const columns = m.raw === true ? undefined : names.get(statement);
        const text = json(rows);
        if (text !== undefined) parentPort.postMessage({ id: m.id, json: text, columns });
        else parentPort.postMessage({ id: m.id, rows: columns ? objects(rows, columns) : rows });
      } else {
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
