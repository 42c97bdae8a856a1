// The counter console's keyboard: one key per button (N, L, V, B, X, T), outside text fields.
(function () {
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var target = e.target;
    if (
      target &&
      (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')
    )
      return;
    var el = document.querySelector('[data-key="' + e.key.toLowerCase() + '"]');
    if (!el || el.disabled) return;
    e.preventDefault();
    el.click();
  });
})();
