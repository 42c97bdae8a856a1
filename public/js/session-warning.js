// Progressive enhancement only: without this file the warning stays hidden and pages work.
// The warning before the session ends (issue 28, item 6): counts down from the page's load (or
// the last request this page or another tab of the office made), shows a small card with
// "Tiếp tục làm việc" near the end, and says the typed form is kept once the session is over.
(function () {
  'use strict';
  var warning = document.querySelector('[data-session-warning]');
  if (!warning || !window.fetch) return;
  var idle = Number(warning.getAttribute('data-idle-seconds')) * 1000;
  var lead = Number(warning.getAttribute('data-warn-seconds')) * 1000;
  var left = warning.querySelector('[data-session-left]');
  var soon = warning.querySelector('[data-session-soon]');
  var ended = warning.querySelector('[data-session-ended]');
  var failed = warning.querySelector('[data-session-failed]');
  var form = warning.querySelector('[data-session-keep]');
  var token = form.querySelector('input[name="_csrf"]').value;
  var KEY = 'motcua.session-ends-at';
  var endsAt = 0;
  var over = false;
  var stored = function () {
    try {
      return Number(window.localStorage.getItem(KEY)) || 0;
    } catch {
      return 0;
    }
  };
  var extendTo = function (at) {
    endsAt = Math.max(endsAt, at);
    try {
      if (at > stored()) window.localStorage.setItem(KEY, String(at));
    } catch {
      /* private mode: this tab alone */
    }
  };
  var mmss = function (ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  };
  var tick = function () {
    if (over) return;
    endsAt = Math.max(endsAt, stored());
    var remaining = endsAt - Date.now();
    if (remaining > lead) {
      warning.hidden = true;
      return;
    }
    warning.hidden = false;
    if (remaining <= 0) {
      over = true;
      soon.hidden = true;
      form.hidden = true;
      ended.hidden = false;
      return;
    }
    left.textContent = left.getAttribute('data-left-text').replace('{time}', mmss(remaining));
  };
  // Any request of this page (a search, the ID lookup) also extends the session.
  var fetchBefore = window.fetch;
  window.fetch = function () {
    var sent = Date.now();
    return fetchBefore.apply(this, arguments).then(function (response) {
      if (response.ok && !over) extendTo(sent + idle);
      return response;
    });
  };
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    fetchBefore('/phien/gia-han', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': token, Accept: 'application/json' },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (body) {
        extendTo(Date.now() + body.seconds_left * 1000 - 1000);
        failed.hidden = true;
        tick();
      })
      .catch(function () {
        over = true;
        soon.hidden = true;
        form.hidden = true;
        failed.hidden = false;
      });
  });
  extendTo(Date.now() + idle);
  tick();
  window.setInterval(tick, 1000);
})();
