// The phone and tablet navigation. The theme (pydata-sphinx-theme 0.17, under sphinx-book-theme 1.3) binds its
// "open the navigation" and "open the contents" behaviour to the first .primary-toggle and .secondary-toggle in
// the page, which is the one in its own header, hidden under the book theme; the buttons a reader sees, in the
// article's header, are their twins and did nothing. Each visible twin now passes its press (click, tap, Enter
// or Space, all of which a button turns into a click) to the button the theme bound, so that the theme's own
// code opens its dialog, moves the sidebar into it, and closes it again (Escape, or a press outside it).
(function () {
  function wire() {
    ['primary-toggle', 'secondary-toggle'].forEach(function (name) {
      var all = document.querySelectorAll('.' + name);
      if (all.length < 2) return;
      var bound = all[0];
      for (var i = 1; i < all.length; i++) {
        var twin = all[i];
        if (!twin.getAttribute('aria-label')) twin.setAttribute('aria-label', bound.getAttribute('aria-label') || name);
        twin.setAttribute('aria-haspopup', 'dialog');
        twin.addEventListener('click', function (e) {
          e.preventDefault();
          e.stopImmediatePropagation();
          bound.click();
        }, true);
      }
    });
  }
  // The theme's navigation folds each section's pages under a <summary> holding only a chevron icon: give each a
  // name, said by a screen reader, so that it is not an unnamed button.
  function nameToggles() {
    document.querySelectorAll('summary').forEach(function (s) {
      if (s.textContent.trim() || s.getAttribute('aria-label')) return;
      var link = s.parentElement && s.parentElement.parentElement && s.parentElement.parentElement.querySelector(':scope > a');
      s.setAttribute('aria-label', 'Show or hide the pages under ' + (link ? link.textContent.trim() : 'this section'));
    });
  }
  function ready() { wire(); nameToggles(); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
