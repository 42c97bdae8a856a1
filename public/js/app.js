// Progressive enhancement only: every page works without this file.
// Keyboard shortcuts (documented in the README):
//   F2 or /      focus the page's filter or search box
//   Ctrl+Enter   submit the intake form as "accept"
//   Alt+N        new intake, from any counter page
(function () {
  'use strict';

  document.addEventListener('keydown', function (event) {
    var target = event.target;
    var typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
    if (event.key === 'F2' || (event.key === '/' && !typing)) {
      var box = document.querySelector('[data-shortcut-focus]');
      if (box) { event.preventDefault(); box.focus(); box.select && box.select(); }
    }
    if (event.altKey && !event.ctrlKey && (event.key === 'n' || event.key === 'N') && document.querySelector('.topbar nav a[href="/ho-so/moi"]')) {
      event.preventDefault();
      window.location.href = '/ho-so/moi';
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      var submit = document.querySelector('[data-shortcut-submit]');
      if (submit) { event.preventDefault(); submit.click(); }
    }
  });

  // Type-to-filter over the procedure list; Enter opens the first match.
  var filter = document.querySelector('[data-procedure-filter]');
  var list = document.getElementById('procedure-list');
  if (filter && list) {
    var fold = function (s) {
      return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
    };
    var items = Array.prototype.slice.call(list.querySelectorAll('li[data-search]'));
    var groups = Array.prototype.slice.call(list.querySelectorAll('li.group-name'));
    var apply = function () {
      var q = fold(filter.value.trim());
      var words = q.split(/\s+/).filter(Boolean);
      var first = null;
      items.forEach(function (li) {
        var hay = fold(li.getAttribute('data-search'));
        var show = words.every(function (w) { return hay.indexOf(w) !== -1; });
        li.hidden = !show;
        li.classList.remove('first-match');
        if (show && !first) first = li;
      });
      groups.forEach(function (g) { g.hidden = !!q; });
      if (first && q) first.classList.add('first-match');
      return first;
    };
    filter.addEventListener('input', apply);
    filter.form.addEventListener('submit', function (event) {
      var first = apply();
      if (first) { event.preventDefault(); window.location.href = first.querySelector('a').href; }
    });
    apply();
  }

  // Fill the applicant's last known details when the office has seen this ID number.
  var idInput = document.querySelector('[data-applicant-lookup]');
  if (idInput && window.fetch) {
    var hint = document.getElementById('applicant-hint');
    var last = '';
    var lookup = function () {
      var id = idInput.value.replace(/\s/g, '');
      if (!/^\d{12}$/.test(id) || id === last) return;
      last = id;
      // POST, so the ID number never appears in a URL (logs, history); an unknown number is a
      // 200 with no applicant, so the console shows no error.
      var token = document.querySelector('input[name="_csrf"]');
      fetch('/api/v1/applicants/lookup', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': token ? token.value : '' },
        credentials: 'same-origin',
        body: JSON.stringify({ personal_id: id })
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || !data.applicant) { if (hint) hint.textContent = ''; return; }
          var a = data.applicant;
          var fill = function (name, value) {
            var el = document.getElementById(name);
            if (el && !el.value && value) el.value = value;
          };
          fill('applicant_name', a.applicant_name);
          fill('birth_date', a.birth_date ? a.birth_date.split('-').reverse().join('/') : '');
          fill('sex', a.sex);
          fill('phone', a.phone);
          fill('address', a.address);
          if (hint) hint.textContent = 'Đã điền thông tin từ hồ sơ trước của người này; kiểm tra lại trước khi tiếp nhận.';
        })
        .catch(function () { /* offline or not found: the officer types as usual */ });
    };
    idInput.addEventListener('input', lookup);
    idInput.addEventListener('change', lookup);
  }

  var printButton = document.querySelector('[data-print]');
  if (printButton) {
    printButton.addEventListener('click', function () { window.print(); });
    if (printButton.hasAttribute('data-auto-print')) window.addEventListener('load', function () { window.print(); });
  }
})();
