// The Query page (generated/query.html; loaded on that page only, see book/_ext/light_pages.py). Nothing heavy
// loads until the reader asks: the button, a "Run" link, or a "Recompute" link (query.html#q-NAME, the query's place in the list) loads the
// engine's classic scripts and the data script (their paths are in data-scripts), starts DuckDB-WASM and loads the
// package's CSV files with the build's own statements. Chromium refuses ES modules, workers and fetch() from
// file://, so every file is a classic script: the worker starts from a Blob URL of its source, and it is handed the
// WebAssembly bytes in a message instead of fetching them (the shim below answers the worker's one fetch).
// Loaded in the head (light_pages adds it there), so it starts once the page has been parsed.
function queryPageStart() {
  'use strict';
  var root = document.getElementById('query-console');
  if (!root) return;
  function $(id) { return document.getElementById(id); }
  var state = {starting: null, db: null, conn: null, data: null, named: '', result: null, csvUrl: null};
  var texts = {};
  document.querySelectorAll('section.named-query').forEach(function (s) {
    texts[s.dataset.query] = s.querySelector('pre.query-text').textContent;
  });

  function status(text, failed) {
    var el = $('query-status');
    el.textContent = text;
    el.classList.toggle('query-failed', !!failed);
  }

  function script(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('cannot load ' + src)); };
      document.head.appendChild(s);
    });
  }

  // Runs first in the worker: keeps the WebAssembly bytes the page posts, and answers the worker's fetch of
  // duckdb-wasm:main with them (a worker started from a Blob URL cannot fetch a file:// URL).
  var SHIM = "(function () { var bytes = null; var real = self.fetch.bind(self);\n" +
    "self.addEventListener('message', function (e) { if (e.data && e.data.duckdbWasm) { bytes = e.data.duckdbWasm; e.stopImmediatePropagation(); } });\n" +
    "self.fetch = function (r, o) { var u = typeof r === 'string' ? r : r.url;\n" +
    "  if (u === 'duckdb-wasm:main') return Promise.resolve(new Response(bytes, {headers: {'content-type': 'application/wasm'}}));\n" +
    "  return real(r, o); }; })();\n";

  async function start() {
    var t0 = performance.now();
    status('Loading the engine…');
    $('query-load').disabled = true;
    var scripts = root.dataset.scripts.split(' ');
    for (var i = 0; i < scripts.length; i++) await script(scripts[i]);
    status('Starting the engine…');
    var text = atob(window.duckdbWasmGzipBase64);
    var gz = new Uint8Array(text.length);
    for (var j = 0; j < text.length; j++) gz[j] = text.charCodeAt(j);
    text = null;
    window.duckdbWasmGzipBase64 = null;  // about 10 MB of text no longer needed
    var wasm = await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
    var worker = new Worker(URL.createObjectURL(new Blob([SHIM, window.duckdbWorkerSource], {type: 'text/javascript'})));
    worker.postMessage({duckdbWasm: wasm}, [wasm]);
    var api = window.duckdbQuery;
    var db = new api.AsyncDuckDB(new api.VoidLogger(), worker);
    await db.instantiate('duckdb-wasm:main');
    var conn = await db.connect();
    status('Loading the tables…');
    var data = window.queryData;
    for (var k = 0; k < data.tables.length; k++) {
      await db.registerFileText(data.tables[k].file, data.tables[k].csv);
      await conn.query(data.tables[k].create);
    }
    for (var v = 0; v < data.views.length; v++) await conn.query(data.views[v]);
    var version = (await conn.query('SELECT version() AS v')).toArray()[0].v;
    state.db = db; state.conn = conn; state.data = data;
    status('Ready: DuckDB ' + version + ' in your browser, ' + data.tables.length + ' tables loaded in ' +
      ((performance.now() - t0) / 1000).toFixed(1) + ' s.');
    $('query-load').hidden = true;
    $('query-run').disabled = false;
    $('query-reset').disabled = !state.named;
  }

  function ready() {
    if (!state.starting) {
      state.starting = start().catch(function (e) {
        status('The engine could not start: ' + e.message + '. Every query is still listed below with its text.', true);
        $('query-load').disabled = false;
        state.starting = null;
        throw e;
      });
    }
    return state.starting;
  }

  // A value in the form the build writes its results in (query_page.cell): dates as ISO text, lists as lists,
  // integers as numbers (as text beyond 2^53).
  function pad(n, w) { return String(n).padStart(w || 2, '0'); }
  function canonical(v, type) {
    if (v === null || v === undefined) return null;
    switch (type.typeId) {
      case 2:  // integers, 64-bit ones as BigInt
      case 7: {  // decimals (HUGEINT sums arrive as DECIMAL(38,0))
        var scale = type.scale || 0;
        if (type.typeId === 7) {
          var s = String(v);
          if (!scale) return Math.abs(Number(s)) <= Number.MAX_SAFE_INTEGER ? Number(s) : s;
          return Number(s) / Math.pow(10, scale);
        }
        if (typeof v === 'bigint') return (v <= 9007199254740991n && v >= -9007199254740991n) ? Number(v) : String(v);
        return v;
      }
      case 8: {  // dates: milliseconds since the epoch
        return new Date(Number(v)).toISOString().slice(0, 10);
      }
      case 10: {  // timestamps: milliseconds since the epoch, shown as Python's isoformat(sep=' ')
        var ms = Number(v), d = new Date(ms);
        var out = d.toISOString().slice(0, 10) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
        return ms % 1000 ? out + '.' + pad(((ms % 1000) + 1000) % 1000, 3) + '000' : out;
      }
      case 12:
      case 16: {  // lists
        var child = type.children[0].type, items = [];
        for (var i = 0; i < v.length; i++) items.push(canonical(v.get(i), child));
        return items;
      }
      case 3:
        return Number.isFinite(v) ? v : String(v).toLowerCase().replace('infinity', 'inf');
      case 5:
      case 6:
      case 20:
        return v;
      default:
        return String(v);
    }
  }

  async function query(sql) {
    await ready();
    var table = await state.conn.query(sql);
    var fields = table.schema.fields;
    var rows = [], columns = fields.map(function (f, i) { return table.getChildAt(i); });
    for (var r = 0; r < table.numRows; r++) {
      var out = [];
      for (var c = 0; c < fields.length; c++) out.push(canonical(columns[c].get(r), fields[c].type));
      rows.push(out);
    }
    return {columns: fields.map(function (f) { return f.name; }), rows: rows};
  }

  function shown(v) {
    if (v === null) return 'NULL';
    if (Array.isArray(v)) return '[' + v.map(shown).join(', ') + ']';
    return String(v);
  }

  function csvText(result) {
    function field(v) {
      if (v === null) return '';
      var s = shown(v);
      return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }
    return [result.columns.map(field).join(',')].concat(result.rows.map(function (r) { return r.map(field).join(','); })).join('\r\n') + '\r\n';
  }

  function differences(build, got) {
    var out = [];
    if (JSON.stringify(build.columns) !== JSON.stringify(got.columns)) out.push('columns: build ' + build.columns.join(', ') + '; browser ' + got.columns.join(', '));
    if (build.rows.length !== got.rows.length) out.push('rows: build ' + build.rows.length + ', browser ' + got.rows.length);
    var n = Math.min(build.rows.length, got.rows.length);
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < build.columns.length; c++) {
        var a = JSON.stringify(build.rows[r][c]), b = JSON.stringify(got.rows[r][c]);
        if (a !== b) out.push('row ' + (r + 1) + ', ' + build.columns[c] + ': build ' + shown(build.rows[r][c]) + ', browser ' + shown(got.rows[r][c]));
      }
    }
    return out;
  }

  function value(result) {
    // A figure's query returns one row with value, or value_min and value_max: said as the footnotes say it.
    if (result.rows.length !== 1) return null;
    var row = {};
    result.columns.forEach(function (c, i) { row[c] = result.rows[0][i]; });
    if ('value' in row) return shown(row.value);
    if ('value_min' in row) return row.value_min === null ? 'no figure' : row.value_max === null ? 'at least ' + row.value_min : row.value_max === row.value_min ? String(row.value_min) : row.value_min + ' to ' + row.value_max;
    return null;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function render(result) {
    var box = $('query-result');
    box.textContent = '';
    box.appendChild(el('p', result.rows.length + ' row' + (result.rows.length === 1 ? '' : 's') + ', ' + result.columns.length + ' column' + (result.columns.length === 1 ? '' : 's') + '.', 'query-count'));
    var wrap = el('div', undefined, 'table-wrapper'), table = el('table', undefined, 'data-table query-table-result');
    var head = el('thead'), tr = el('tr');
    result.columns.forEach(function (c) { var th = el('th', c); th.scope = 'col'; tr.appendChild(th); });
    head.appendChild(tr); table.appendChild(head);
    var body = el('tbody');
    result.rows.slice(0, 1000).forEach(function (r) {
      var row = el('tr');
      r.forEach(function (v, i) { var td = el('td', shown(v), v === null ? 'query-null' : ''); td.dataset.label = result.columns[i]; row.appendChild(td); });
      body.appendChild(row);
    });
    table.appendChild(body); wrap.appendChild(table); box.appendChild(wrap);
    if (result.rows.length > 1000) box.appendChild(el('p', 'The first 1,000 rows are shown; the CSV holds them all.'));
    if (state.csvUrl) URL.revokeObjectURL(state.csvUrl);
    state.csvUrl = URL.createObjectURL(new Blob([csvText(result)], {type: 'text/csv'}));
    var link = $('query-csv');
    link.href = state.csvUrl;
    link.download = (state.named && $('query-sql').value === texts[state.named] ? state.named : 'query') + '.csv';
    link.hidden = false;
    window.dispatchEvent(new Event('resize'));  // tables.js stacks a table that does not fit (report.css)
  }

  function compare(result) {
    var box = $('query-compare');
    box.textContent = '';
    var name = state.named;
    if (!name || $('query-sql').value !== texts[name]) {
      box.appendChild(el('p', name ? 'Edited: this is no longer the named query ' + name + ', so there is no build result to compare with.' : 'Your own query: there is no build result to compare with.', 'query-note'));
      return;
    }
    var build = state.data.build[name], diff = differences(build, result);
    var bv = value(build), gv = value(result);
    if (bv !== null) box.appendChild(el('p', 'In the report (the build): ' + bv + '. In your browser: ' + (gv === null ? 'no single value' : gv) + '.', 'query-values'));
    box.appendChild(el('p', diff.length ? diff.length + ' cell' + (diff.length === 1 ? '' : 's') + ' differ from the build:' :
      'The same as the build: ' + build.rows.length + ' row' + (build.rows.length === 1 ? '' : 's') + ' × ' + build.columns.length + ' columns, every cell equal.', diff.length ? 'query-differs' : 'query-same'));
    if (diff.length) {
      var ul = el('ul');
      diff.slice(0, 20).forEach(function (d) { ul.appendChild(el('li', d)); });
      box.appendChild(ul);
    }
    box.dataset.differences = String(diff.length);
  }

  async function runEditor() {
    $('query-compare').textContent = '';
    delete $('query-compare').dataset.differences;
    $('query-result').textContent = '';
    $('query-csv').hidden = true;
    try {
      var result = await query($('query-sql').value);
      state.result = result;
      render(result);
      compare(result);
    } catch (e) {
      $('query-compare').appendChild(el('p', 'The query failed: ' + e.message, 'query-failed'));
      $('query-compare').setAttribute('role', 'alert');
    }
  }

  function pick(name) {
    state.named = texts[name] !== undefined ? name : '';
    $('query-pick').value = state.named;
    if (state.named) $('query-sql').value = texts[name];
    var uses = state.named && document.querySelector('#q-' + name + ' .query-uses');
    $('query-feeds').textContent = uses ? name + '. ' + uses.textContent : '';
    $('query-reset').disabled = !state.named || !state.conn;
    $('query-compare').textContent = '';
  }

  function fromHash() {
    var m = /^#q-([a-z0-9_]+)$/.exec(location.hash);
    if (!m || texts[m[1]] === undefined) return;
    pick(m[1]);
    $('query-editor-heading').scrollIntoView();
    ready().then(runEditor, function () {});
  }

  $('query-load').addEventListener('click', function () { ready().catch(function () {}); });
  $('query-run').addEventListener('click', runEditor);
  $('query-reset').addEventListener('click', function () { pick(state.named); });
  $('query-pick').addEventListener('change', function () { pick(this.value); });
  window.addEventListener('hashchange', fromHash);
  // A "Run" link in the list points at its own section: run it even when the address already names it.
  document.querySelectorAll('a.query-open').forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      history.replaceState(null, '', a.getAttribute('href'));
      fromHash();
    });
  });
  fromHash();
  // For the browser tests: run any SQL and get the result as the page compares it.
  window.queryPage = {ready: ready, query: query, names: function () { return Object.keys(texts); }};
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', queryPageStart);
else queryPageStart();
