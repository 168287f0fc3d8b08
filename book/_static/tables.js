// Tables reflow when they do not fit: a data table wider than the text column (at any screen width), or of three
// or more columns on a phone, gets the class "stacked" (report.css): each row becomes a block and each cell shows its column's name
// before its value, so no column is cut off. This names every cell's column (data-label), keeps the table's roles
// for assistive technology when CSS changes how it is displayed, and checks the fit again when the window resizes.
(function () {
  'use strict';
  function label() {
    document.querySelectorAll('table.data-table').forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var names = [];
      Array.prototype.forEach.call(head.cells, function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
      });
      table.setAttribute('role', 'table');
      Array.prototype.forEach.call(table.querySelectorAll('thead, tbody'), function (g) { g.setAttribute('role', 'rowgroup'); });
      Array.prototype.forEach.call(table.rows, function (row) {
        row.setAttribute('role', 'row');
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var inHead = row.parentNode === table.tHead;
          cell.setAttribute('role', inHead ? 'columnheader' : (cell.tagName === 'TH' ? 'rowheader' : 'cell'));
          if (!inHead && names[col] && (cell.colSpan || 1) === 1) cell.setAttribute('data-label', names[col]);
          col += cell.colSpan || 1;
        });
      });
    });
    fit();
  }
  var narrow = window.matchMedia('(max-width: 600px)');
  function fit() {
    document.querySelectorAll('table.data-table').forEach(function (table) {
      table.classList.remove('stacked');
      var columns = table.tHead && table.tHead.rows[0] ? table.tHead.rows[0].cells.length : 0;
      // On a phone, a table of three or more columns is stacked even when it fits: its columns would be slivers.
      if (table.scrollWidth > table.clientWidth + 1 || (narrow.matches && columns > 2)) table.classList.add('stacked');
    });
  }
  var timer = null;
  window.addEventListener('resize', function () { clearTimeout(timer); timer = setTimeout(fit, 100); });
  document.addEventListener('toggle', fit, true);  // a table inside a <details> has no width until it opens
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', label);
  else label();
})();
