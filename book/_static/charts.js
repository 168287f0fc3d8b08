// The report's charts (loaded with the Vega bundle, on the pages that have a chart; see book/_ext/light_pages.py).
//
// - reportChart(name) draws the chart whose spec is in <script id="spec-NAME"> into <div id="vis-NAME">.
// - Refit: a chart is as wide as its container ("container" width in the spec). Vega-Lite re-reads the
//   container's width only on the window's resize event, and the chart box itself is sized by its column (CSS
//   `contain: inline-size`, so that a wide drawing cannot widen the box it is measured in). A ResizeObserver
//   on every chart box replays the resize event when a box changes width for any other reason (a sidebar
//   opened or closed, a phone rotated before the first draw ended). A concatenation's padding is reserved (below).
// - Tooltips stay inside the window: the tooltip box is at most the window's width, and it is moved back in
//   when Vega's placement runs past an edge.
// - Touch: the first tap on a mark shows its tooltip; a second tap on the same mark follows its link. A mouse
//   click follows it at once, as before.
(function () {
  var MARGIN = 4;

  function keepInside(tip) {
    if (!tip.classList.contains('visible')) return;
    var box = tip.getBoundingClientRect();
    var left = parseFloat(tip.style.left) || 0;
    var top = parseFloat(tip.style.top) || 0;
    var dx = 0, dy = 0;
    if (box.right > window.innerWidth - MARGIN) dx = window.innerWidth - MARGIN - box.right;
    if (box.left + dx < MARGIN) dx = MARGIN - box.left;
    if (box.bottom > window.innerHeight - MARGIN) dy = window.innerHeight - MARGIN - box.bottom;
    if (box.top + dy < MARGIN) dy = MARGIN - box.top;
    if (Math.abs(dx) > 0.5) tip.style.left = (left + dx) + 'px';
    if (Math.abs(dy) > 0.5) tip.style.top = (top + dy) + 'px';
  }

  // Vega makes the tooltip element on the first hover: watch the body for it, then watch it for each placement.
  function clampTooltip() {
    var tip = document.getElementById('vg-tooltip-element');
    if (!tip || tip.dataset.clamped) return;
    tip.dataset.clamped = '1';
    keepInside(tip);
    new MutationObserver(function () { keepInside(tip); })
      .observe(tip, {attributes: true, attributeFilter: ['style', 'class']});
  }
  new MutationObserver(clampTooltip).observe(document.documentElement, {childList: true, subtree: true});

  var pending = null;
  function replayResize() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () {
      pending = null;
      window.dispatchEvent(new Event('resize'));
    });
  }
  var widths = new WeakMap();
  var observer = 'ResizeObserver' in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (e) {
      var w = Math.round(e.contentRect.width);
      if (widths.get(e.target) !== w) {
        if (widths.has(e.target)) {
          // Vega sets the width signal to the container's width, then autosize lowers it by the padding: a box
          // narrowed by exactly the padding gives the signal the value it already has, so nothing is redrawn.
          // Clearing the signal first makes the replayed resize a change.
          var view = e.target.reportView;
          try { if (view) view.signal('width', 0); } catch (err) { /* a concatenation has no top-level width */ }
          replayResize();
        }
        widths.set(e.target, w);
      }
    });
  }) : null;

  function touchFirstShows(box) {
    var lastPointer = 'mouse', armed = null;
    box.addEventListener('pointerdown', function (e) { lastPointer = e.pointerType; }, true);
    box.addEventListener('click', function (e) {
      if (lastPointer !== 'touch') return;
      if (armed === e.target) { armed = null; return; }  // the second tap on this mark: follow its link
      armed = e.target;
      e.preventDefault();
      e.stopPropagation();
      // A tap moves no pointer, so Vega has not been told the mark is under it: tell it, and it shows the tooltip.
      ['pointermove', 'mousemove'].forEach(function (type) {
        var Ev = type === 'pointermove' && window.PointerEvent ? PointerEvent : MouseEvent;
        e.target.dispatchEvent(new Ev(type, {bubbles: true, cancelable: true, clientX: e.clientX, clientY: e.clientY,
          screenX: e.screenX, screenY: e.screenY, pointerType: 'mouse', view: window}));
      });
    }, true);
  }

  window.reportChart = function (name) {
    var box = document.getElementById('vis-' + name);
    var spec = JSON.parse(document.getElementById('spec-' + name).textContent);
    touchFirstShows(box);
    if (observer) observer.observe(box);
    return vegaEmbed(box, spec, {actions: false, renderer: 'svg', loader: {target: '_self'}}).then(function (result) {
      clampTooltip();
      box.reportView = result.view;
      // A concatenation of panels (each "container" wide) is drawn wider than its box by its padding and axis
      // ends; that excess does not change with the width, so the box is made narrower by as much (Vega reads
      // the box's clientWidth) and the chart is redrawn once to fit.
      var svg = box.querySelector('svg');
      var excess = svg ? Math.ceil(svg.getBoundingClientRect().width - box.clientWidth) : 0;
      if (excess > 0) {
        box.style.width = 'calc(100% - ' + excess + 'px)';
        replayResize();
      }
      return result;
    });
  };
})();
