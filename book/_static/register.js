// The register's filters (register.html only; book/_ext/light_pages.py loads this file on the page that has the form).
// Everything happens in the page: no request is made, so it works from file:// as well as from a server.
// Filter state lives in the address's fragment as key=value pairs (#gov=Idlib&q=school), which a row anchor
// (#inc-0001) never contains, so links to entries keep working.
(function () {
  'use strict';
  var KEYS = ['q', 'gov', 'grading', 'kind', 'link', 'table'];
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
    var text = entries.map(function (e) { return norm(e.textContent); });
    var values = entries.map(function (e) {
      var v = {};
      KEYS.slice(1).forEach(function (k) { v[k] = (e.getAttribute('data-' + k) || '').split('|').filter(Boolean); });
      return v;
    });
    var lastCount = '';

    function norm(s) { return (s || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' '); }

    function state() {
      var s = {};
      KEYS.forEach(function (k) { if (controls[k].value) s[k] = controls[k].value; });
      return s;
    }

    function apply() {
      var s = state();
      var words = norm(s.q || '').split(' ').filter(Boolean);
      var shown = 0;
      entries.forEach(function (e, i) {
        var ok = words.every(function (w) { return text[i].indexOf(w) !== -1; });
        KEYS.slice(1).forEach(function (k) { if (ok && s[k] && values[i][k].indexOf(s[k]) === -1) ok = false; });
        e.hidden = !ok;
        if (ok) shown += 1;
      });
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
      var lines = [['table', 'id', 'title', 'governorate', 'grading', 'kind', 'link_status', 'quote', 'register_url']];
      entries.forEach(function (e, i) {
        if (e.hidden) return;
        var h = e.querySelector('h3');
        var title = h ? h.textContent.replace(/^[^:]*:\s*/, '') : '';
        var quotes = Array.prototype.map.call(e.querySelectorAll('blockquote.verbatim > p'), function (p) { return p.textContent; });
        lines.push([e.getAttribute('data-table'), e.getAttribute('data-id'), title, values[i].gov.join('; '),
          values[i].grading.join('; '), values[i].kind.join('; '), values[i].link.join('; '), quotes.join(' | '),
          base + '#' + e.id]);
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

    form.hidden = false;
    fromHash();
    apply();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
