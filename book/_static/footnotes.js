// The notes under a page (each names the query behind a figure and lists its row IDs) are folded by default, so
// that a page reads as prose; following a note's number, or a link to a note, unfolds them first.
(function () {
  function fold() {
    document.querySelectorAll('aside.footnote-list').forEach(function (list) {
      if (list.closest('details')) return;
      var n = list.querySelectorAll('aside.footnote').length;
      var box = document.createElement('details');
      box.className = 'footnotes-folded';
      var summary = document.createElement('summary');
      summary.textContent = 'Notes: the query and the rows behind each figure (' + n + ')';
      box.appendChild(summary);
      list.parentNode.insertBefore(box, list);
      box.appendChild(list);
    });
    openFor(window.location.hash);
  }
  function openFor(hash) {
    var id;
    try { id = decodeURIComponent((hash || '').slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    var box = target && target.closest('details.footnotes-folded');
    if (box) box.open = true;
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#"]');
    if (a) openFor(a.getAttribute('href'));
  }, true);
  window.addEventListener('hashchange', function () { openFor(window.location.hash); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fold);
  else fold();
})();
