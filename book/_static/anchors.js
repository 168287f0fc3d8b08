// Row anchors are lower case (#clm-0001). A link written with the ID as printed (#CLM-0001) lands on
// the same entry: when the fragment names no element but its lower-case form does, go there instead.
(function () {
  function follow() {
    var id;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    if (!id || document.getElementById(id)) return;
    var lower = id.toLowerCase();
    if (lower !== id && document.getElementById(lower)) window.location.replace('#' + encodeURIComponent(lower));
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', follow);
  else follow();
  window.addEventListener('hashchange', follow);
})();
