// The register's filters (register.html only; book/_ext/light_pages.py loads this file on the page that has the form).
// Everything happens in the page: no request is made, so it works from file:// as well as from a server.
// Filter state lives in the address's fragment as key=value pairs (#gov=Idlib&q=school), which a row anchor
// (#inc-0001) never contains, so links to entries keep working.
(function () {
  'use strict';
  var KEYS = ['q', 'gov', 'grading', 'kind', 'link', 'table', 'from', 'to'];
  var FACETS = ['gov', 'grading', 'kind', 'link', 'table'];
  var FORMULA = /^[=+\-@\t\r]/;
  var SIGNED_NUMBER = /^[+-]\d+(\.\d+)?$/;

  function start() {
    var form = document.getElementById('register-filter');
    if (!form) return;
    var entries = Array.prototype.slice.call(document.querySelectorAll('section.register-entry'));
    var sections = Array.prototype.slice.call(document.querySelectorAll('div.register-section'));
    var count = document.getElementById('register-count');
    var controls = {};
    KEYS.forEach(function (k) { controls[k] = form.querySelector('[data-filter="' + k + '"]'); });
    var text = entries.map(function (e) { return key(e.textContent); });
    var summaryRows = {};
    Array.prototype.forEach.call(document.querySelectorAll('#register-summary tbody tr'), function (tr) { summaryRows[tr.dataset.id] = tr; });
    var none = document.getElementById('register-none');
    var values = entries.map(function (e) {
      var v = {};
      FACETS.forEach(function (k) { v[k] = (e.getAttribute('data-' + k) || '').split('|').filter(Boolean); });
      v.start = e.getAttribute('data-start') || '';
      v.end = e.getAttribute('data-end') || '';
      return v;
    });
    var lastCount = '';

    function norm(s) { return (s || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' '); }
    // A transliteration key: accents, apostrophes and hyphens (and the letters ayn and hamza written as marks)
    // dropped, doubled letters made single, so that Maarat, Ma'arrat and Maarrat share the key "marat".
    function key(s) {
      return norm(s).replace(/[\u02bb\u02bc\u02be\u02bf'\u2018\u2019`\u00b4-]/g, '').replace(/([a-z])\1+/g, '$1');
    }

    function state() {
      var s = {};
      KEYS.forEach(function (k) { if (controls[k].value) s[k] = controls[k].value; });
      return s;
    }

    function apply() {
      var s = state();
      var words = key(s.q || '').split(' ').filter(Boolean);
      var shown = 0;
      entries.forEach(function (e, i) {
        var ok = words.every(function (w) { return text[i].indexOf(w) !== -1; });
        FACETS.forEach(function (k) { if (ok && s[k] && values[i][k].indexOf(s[k]) === -1) ok = false; });
        // The dates keep an entry whose window overlaps them; an entry without a window is hidden while they are set.
        if (ok && s.from && !(values[i].end && values[i].end >= s.from)) ok = false;
        if (ok && s.to && !(values[i].start && values[i].start <= s.to)) ok = false;
        e.hidden = !ok;
        var row = summaryRows[e.dataset.id];
        if (row) row.hidden = !ok;
        if (ok) shown += 1;
      });
      none.hidden = shown !== 0;
      sections.forEach(function (sec) { sec.hidden = !sec.querySelector('section.register-entry:not([hidden])'); });
      var message = shown + ' of ' + entries.length + ' shown';
      if (message !== lastCount) { count.textContent = message; lastCount = message; }
      return s;
    }

    function toHash(s) {
      var parts = KEYS.filter(function (k) { return s[k]; })
        .map(function (k) { return k + '=' + encodeURIComponent(s[k]); });
      var url = window.location.pathname + window.location.search + (parts.length ? '#' + parts.join('&') : '');
      if (url !== window.location.pathname + window.location.search + window.location.hash) history.replaceState(null, '', url);
    }

    function fromHash() {
      var hash = window.location.hash.slice(1);
      if (hash.indexOf('=') === -1) return false;  // a row anchor, not a filter state
      var s = {};
      hash.split('&').forEach(function (part) {
        var i = part.indexOf('=');
        if (i < 1) return;
        try { s[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1)); } catch (err) { /* ignore a broken part */ }
      });
      KEYS.forEach(function (k) {
        var c = controls[k], v = s[k] || '';
        if (c.tagName === 'SELECT' && v && !Array.prototype.some.call(c.options, function (o) { return o.value === v; })) v = '';
        c.value = v;
      });
      return true;
    }

    function update() { toHash(apply()); }

    var timer = null;
    controls.q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 150); });
    KEYS.slice(1).forEach(function (k) { controls[k].addEventListener('change', update); });
    controls.from.addEventListener('input', update);
    controls.to.addEventListener('input', update);
    form.addEventListener('submit', function (ev) { ev.preventDefault(); update(); });
    form.addEventListener('reset', function () { setTimeout(update, 0); });
    window.addEventListener('hashchange', function () {
      if (fromHash()) { apply(); return; }
      // A link to an entry that the filters hide: clear the filters so that the entry can be seen.
      var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)).toLowerCase());
      if (target && target.closest && target.closest('[hidden]')) {
        var anchor = window.location.hash;
        form.reset();
        apply();
        target.scrollIntoView();
        history.replaceState(null, '', window.location.pathname + window.location.search + anchor);
      }
    });

    function csvCell(v) {
      v = String(v == null ? '' : v);
      if (FORMULA.test(v) && !SIGNED_NUMBER.test(v)) v = "'" + v;
      return '"' + v.replace(/"/g, '""') + '"';
    }

    document.getElementById('register-csv').addEventListener('click', function () {
      var base = window.location.href.split('#')[0];
      var head = ['table', 'id', 'title', 'governorate', 'grading', 'kind', 'link_status', 'quote', 'register_url'];
      // Then every coded field of the entries shown (the rows of each entry's field table), in order of appearance;
      // a field whose name is already a column above is that column.
      var fieldNames = [], fieldsOf = [];
      entries.forEach(function (e) {
        if (e.hidden) return;
        var f = {};
        Array.prototype.forEach.call(e.querySelectorAll('table.register-fields tr'), function (tr) {
          var th = tr.querySelector('th'), td = tr.querySelector('td');
          if (!th || !td) return;
          var name = th.textContent.trim();
          if (head.indexOf(name) !== -1) return;
          if (fieldNames.indexOf(name) === -1) fieldNames.push(name);
          f[name] = td.textContent.trim() === '\u2014' ? '' : td.textContent.trim();
        });
        fieldsOf.push(f);
      });
      var lines = [head.concat(fieldNames)];
      var n = 0;
      entries.forEach(function (e, i) {
        if (e.hidden) return;
        var h = e.querySelector('h3');
        var title = h ? h.textContent.replace(/^[^:]*:\s*/, '') : '';
        var quotes = Array.prototype.map.call(e.querySelectorAll('blockquote.verbatim > p'), function (p) { return p.textContent; });
        var f = fieldsOf[n++];
        lines.push([e.getAttribute('data-table'), e.getAttribute('data-id'), title, values[i].gov.join('; '),
          values[i].grading.join('; '), values[i].kind.join('; '), values[i].link.join('; '), quotes.join(' | '),
          base + '#' + e.id].concat(fieldNames.map(function (name) { return f[name] || ''; })));
      });
      var body = lines.map(function (row) { return row.map(csvCell).join(','); }).join('\n') + '\n';
      var blob = new Blob([body], {type: 'text/csv;charset=utf-8'});
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'register-rows.csv';
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });

    // The summary table sorts by the column whose heading is pressed (again: the other way).
    Array.prototype.forEach.call(document.querySelectorAll('#register-summary button.sort'), function (b) {
      b.addEventListener('click', function () {
        var th = b.parentElement, table = document.getElementById('register-summary');
        var col = Array.prototype.indexOf.call(th.parentElement.children, th);
        var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        Array.prototype.forEach.call(th.parentElement.children, function (c) { c.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b2) {
          var x = a.cells[col], y = b2.cells[col];
          var vx = x.dataset.sortValue, vy = y.dataset.sortValue;
          if (x.dataset.sortType === 'number') {
            vx = vx === '' ? -1 : Number(vx); vy = vy === '' ? -1 : Number(vy);
            return dir * (vx - vy) || a.dataset.id.localeCompare(b2.dataset.id);
          }
          return dir * vx.localeCompare(vy) || a.dataset.id.localeCompare(b2.dataset.id);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });

    // An entry reached by its anchor (#clm-0001) is unfolded, so that its words are seen at once.
    function unfoldTarget() {
      var id;
      try { id = decodeURIComponent(window.location.hash.slice(1)).toLowerCase(); } catch (err) { return; }
      var target = id && id.indexOf('=') === -1 && document.getElementById(id);
      var body = target && target.querySelector && target.querySelector('details.entry-body');
      if (body) body.open = true;
    }
    window.addEventListener('hashchange', unfoldTarget);
    unfoldTarget();

    form.hidden = false;
    fromHash();
    apply();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
