// Progressive enhancement only: every page works without this file.
// Keyboard shortcuts (documented in the README):
//   F2 or /      focus the page's filter or search box
//   Ctrl+Enter   submit the intake form as "accept"
//   Alt+N        new intake, from any counter page
//   F4           focus the ID-card scan box on the intake page
(function () {
  'use strict';

  document.addEventListener('keydown', function (event) {
    var target = event.target;
    var typing =
      target &&
      (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
    if (event.key === 'F2' || (event.key === '/' && !typing)) {
      var box = document.querySelector('[data-shortcut-focus]');
      if (box) {
        event.preventDefault();
        box.focus();
        if (box.select) box.select();
      }
      // A counter page without a search box of its own: F2 opens the search page.
      else if (event.key === 'F2' && document.querySelector('.topbar nav a[href="/ho-so"]')) {
        event.preventDefault();
        window.location.href = '/ho-so';
      }
    }
    if (
      event.altKey &&
      !event.ctrlKey &&
      (event.key === 'n' || event.key === 'N') &&
      document.querySelector('.topbar nav a[href="/ho-so/moi"]')
    ) {
      event.preventDefault();
      window.location.href = '/ho-so/moi';
    }
    if (event.key === 'F4') {
      var scanBox = document.querySelector('[data-id-card-scan]');
      if (scanBox) {
        event.preventDefault();
        scanBox.focus();
        scanBox.select();
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      var submit = document.querySelector('[data-shortcut-submit]');
      if (submit) {
        event.preventDefault();
        submit.click();
      }
    }
  });

  // Type-to-filter over the procedure list, ranked as src/procedures/procedure-rank.ts ranks
  // (whole phrase of the name, then its words in order, then prefixes of its words, then the
  // code, then anything else: group, aliases); Enter opens the first.
  var filter = document.querySelector('[data-procedure-filter]');
  var list = document.getElementById('procedure-list');
  if (filter && list) {
    var fold = function (s) {
      return s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[đĐ]/g, 'd')
        .toLowerCase()
        .replace(/\s+/g, ' ')
        .trim();
    };
    var wordsOf = function (s) {
      return fold(s).split(' ').filter(Boolean);
    };
    var inOrderAt = function (hay, needle, same) {
      var at = -1,
        from = 0;
      for (var k = 0; k < needle.length; k++) {
        var i = from;
        while (i < hay.length && !same(hay[i], needle[k])) i++;
        if (i === hay.length) return -1;
        if (at < 0) at = i;
        from = i + 1;
      }
      return at;
    };
    var phraseAt = function (hay, needle) {
      for (var i = 0; i + needle.length <= hay.length; i++) {
        var all = true;
        for (var j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) all = false;
        if (all) return i;
      }
      return -1;
    };
    var equal = function (h, n) {
      return h === n;
    };
    var begins = function (h, n) {
      return h.indexOf(n) === 0;
    };
    var rank = function (q, li) {
      if (q.length === 0) return [5, 0, 0];
      var name = wordsOf(li.getAttribute('data-name'));
      var extra = Math.max(0, name.length - q.length);
      var at = phraseAt(name, q);
      if (at >= 0) return [0, extra, at];
      at = inOrderAt(name, q, equal);
      if (at >= 0) return [1, extra, at];
      var prefixes = q.every(function (n) {
        return name.some(function (h) {
          return begins(h, n);
        });
      });
      if (prefixes) {
        at = inOrderAt(name, q, begins);
        return [2, extra, at >= 0 ? at : name.length];
      }
      if (fold(li.getAttribute('data-code')).indexOf(q.join(' ')) === 0) return [3, 0, 0];
      var hay = fold(
        li.getAttribute('data-code') +
          ' ' +
          li.getAttribute('data-name') +
          ' ' +
          li.getAttribute('data-extra'),
      );
      return q.every(function (w) {
        return hay.indexOf(w) !== -1;
      })
        ? [4, 0, 0]
        : null;
    };
    var items = Array.prototype.slice.call(list.querySelectorAll('li[data-name]'));
    var groups = Array.prototype.slice.call(list.querySelectorAll('li.group-name'));
    var original = Array.prototype.slice.call(list.children);
    var apply = function () {
      var q = wordsOf(filter.value);
      var ranked = [];
      items.forEach(function (li, i) {
        var r = rank(q, li);
        li.hidden = !r;
        li.classList.remove('first-match');
        if (r) ranked.push({ li: li, r: r, i: i });
      });
      groups.forEach(function (g) {
        g.hidden = q.length > 0;
      });
      ranked.sort(function (a, b) {
        return a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2] - b.r[2] || a.i - b.i;
      });
      // Best first while a query is typed; the catalog's own order (with its groups) without one.
      (q.length
        ? ranked.map(function (x) {
            return x.li;
          })
        : original
      ).forEach(function (el) {
        list.appendChild(el);
      });
      var first = q.length && ranked.length ? ranked[0].li : null;
      if (first) first.classList.add('first-match');
      return first;
    };
    filter.addEventListener('input', apply);
    filter.form.addEventListener('submit', function (event) {
      var first = apply();
      if (first) {
        event.preventDefault();
        window.location.href = first.querySelector('a').href;
      }
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
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          'x-csrf-token': token ? token.value : '',
        },
        credentials: 'same-origin',
        body: JSON.stringify({ personal_id: id }),
      })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (!data || !data.applicant) {
            if (hint) hint.textContent = '';
            return;
          }
          var a = data.applicant;
          var fill = function (name, value) {
            var el = document.getElementById(name);
            if (el && !el.value && value) {
              el.value = value;
              el.setAttribute('data-filled', '');
            }
          };
          fill('applicant_name', a.applicant_name);
          fill('birth_date', a.birth_date ? a.birth_date.split('-').reverse().join('/') : '');
          fill('sex', a.sex);
          fill('phone', a.phone);
          fill('address', a.address);
          if (hint)
            hint.textContent =
              'Đã điền thông tin từ hồ sơ trước của người này; kiểm tra lại trước khi tiếp nhận.';
          // An officer who keeps typing must not append to the filled name: the cursor moves to
          // the first applicant field still empty (else past them), and a filled field entered
          // later has its text selected, so typing replaces it.
          if (document.activeElement === idInput) {
            var order = ['applicant_name', 'birth_date', 'sex', 'phone', 'email', 'address'];
            var next = null;
            for (var i = 0; i < order.length && !next; i++) {
              var el = document.getElementById(order[i]);
              if (el && !el.value) next = el;
            }
            if (!next) {
              var after = document.querySelectorAll(
                '#intake-form input:not([type=hidden]), #intake-form select, #intake-form textarea',
              );
              var address = document.getElementById('address');
              var seen = false;
              for (var j = 0; j < after.length && !next; j++) {
                if (seen && !after[j].disabled) next = after[j];
                if (after[j] === address) seen = true;
              }
            }
            if (next) next.focus();
          }
        })
        .catch(function () {
          /* offline or not found: the officer types as usual */
        });
    };
    idInput.addEventListener('input', lookup);
    idInput.addEventListener('change', lookup);
    document.addEventListener('focusin', function (event) {
      var el = event.target;
      if (el && el.hasAttribute && el.hasAttribute('data-filled') && el.select) {
        el.removeAttribute('data-filled');
        el.select();
      }
    });
  }

  // The intake's decision bar is sticky at the foot of the window: a focused field (and its error
  // message) must never sit under it, nor under the top of the window.
  var decisionBar = document.querySelector('.intake .decision');
  if (decisionBar) {
    var keepInView = function (el) {
      if (!el || !el.getBoundingClientRect || decisionBar.contains(el)) return;
      var rect = el.getBoundingClientRect();
      var bottom = rect.bottom;
      var ids = (el.getAttribute('aria-describedby') || '').split(/\s+/);
      for (var k = 0; k < ids.length; k++) {
        var described = ids[k] && document.getElementById(ids[k]);
        if (described && described.offsetParent !== null)
          bottom = Math.max(bottom, described.getBoundingClientRect().bottom);
      }
      var label = el.id && document.querySelector('label[for="' + el.id + '"]');
      var top = label ? Math.min(rect.top, label.getBoundingClientRect().top) : rect.top;
      var limit = decisionBar.getBoundingClientRect().top - 8;
      if (bottom > limit) window.scrollBy(0, Math.min(bottom - limit, Math.max(0, top - 8)));
      else if (top < 8) window.scrollBy(0, top - 8);
    };
    document.addEventListener('focusin', function (event) {
      keepInView(event.target);
    });
    if (document.activeElement && document.activeElement !== document.body)
      keepInView(document.activeElement);
  }

  // A 2D scanner types the ID card's QR line, then Enter, into whatever has the focus. The line
  // fills the applicant's fields (those still empty) and the focus moves to the first field
  // still empty. A line that is malformed, or whose ID number disagrees with its own birth date
  // and sex, fills nothing and says so. The server checks the same line again (id_card_qr).
  var scanForm = document.getElementById('intake-form');
  var scanBox = document.querySelector('[data-id-card-scan]');
  if (scanForm && scanBox) {
    var scanHint = document.getElementById('scan-hint');
    var looksLikeScan = function (text) {
      return /^\s*\d{12}\|[^|]*\|/.test(text);
    };
    var ddmmyyyy = function (t) {
      if (!/^\d{8}$/.test(t)) return null;
      var d = +t.slice(0, 2),
        m = +t.slice(2, 4),
        y = +t.slice(4);
      var date = new Date(Date.UTC(y, m - 1, d));
      return date.getUTCDate() === d && date.getUTCMonth() === m - 1
        ? t.slice(0, 2) + '/' + t.slice(2, 4) + '/' + t.slice(4)
        : null;
    };
    var parseScan = function (line) {
      var f = line
        .normalize('NFC')
        .trim()
        .split('|')
        .map(function (x) {
          return x.trim();
        });
      if (
        f.length < 7 ||
        !/^\d{12}$/.test(f[0]) ||
        (f[1] && !/^\d{9}$/.test(f[1])) ||
        !f[2] ||
        !f[5]
      )
        return null;
      var birth = ddmmyyyy(f[3]);
      var sex = f[4] === 'Nam' ? 'male' : f[4] === 'Nữ' ? 'female' : null;
      if (!birth || !sex || !ddmmyyyy(f[6])) return null;
      // The ID's 4th digit is century and sex (0/1 for the 1900s, 2/3 for the 2000s, …), then the year.
      var year = +f[3].slice(4),
        g = +f[0][3];
      if (
        Math.floor(g / 2) !== Math.floor(year / 100) - 19 ||
        (g % 2 === 0) !== (sex === 'male') ||
        f[0].slice(4, 6) !== String(year % 100).padStart(2, '0')
      )
        return null;
      return {
        personal_id: f[0],
        applicant_name: f[2],
        birth_date: birth,
        sex: sex,
        address: f[5],
      };
    };
    var before = {};
    scanForm.addEventListener('focusin', function (e) {
      if (e.target.name) before[e.target.name] = e.target.value;
    });
    scanForm.addEventListener('keydown', function (event) {
      var field = event.target;
      if (
        event.key !== 'Enter' ||
        event.ctrlKey ||
        event.metaKey ||
        !field ||
        (field.tagName !== 'INPUT' && field.tagName !== 'TEXTAREA')
      )
        return;
      if (!looksLikeScan(field.value)) return;
      event.preventDefault();
      var line = field.value;
      if (field !== scanBox) field.value = before[field.name] || '';
      scanBox.value = line;
      var card = parseScan(line);
      var error = document.getElementById('id_card_qr-error');
      if (!card) {
        scanBox.setAttribute('aria-invalid', 'true');
        if (scanHint)
          scanHint.textContent =
            'Mã QR không hợp lệ hoặc không khớp (số định danh, ngày sinh, giới tính): không điền gì. Quét lại hoặc nhập tay.';
        scanBox.focus();
        scanBox.select();
        return;
      }
      scanBox.removeAttribute('aria-invalid');
      if (error) error.textContent = '';
      Object.keys(card).forEach(function (name) {
        var el = document.getElementById(name);
        if (el && !el.value) el.value = card[name];
      });
      if (scanHint) scanHint.textContent = 'Đã điền từ thẻ căn cước: ' + card.applicant_name + '.';
      var order = ['personal_id', 'applicant_name', 'birth_date', 'sex', 'phone', 'address'];
      for (var i = 0; i < order.length; i++) {
        var el = document.getElementById(order[i]);
        if (el && !el.value) {
          el.focus();
          return;
        }
      }
      var submit = document.querySelector('[data-shortcut-submit]');
      if (submit) submit.focus();
    });
  }

  // Sex: "1" is Nam and "2" is Nữ at once (the labels start with those digits, so this also
  // works without JavaScript; here it does not wait for the browser's type-ahead to reset).
  var sexSelect = document.getElementById('sex');
  if (sexSelect) {
    sexSelect.addEventListener('keydown', function (event) {
      var value = { 1: 'male', 2: 'female' }[event.key];
      if (!value) return;
      event.preventDefault();
      sexSelect.value = value;
      sexSelect.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }

  // An 80 mm slip is as long as its content: the page height is set from the slip's own height,
  // once every stylesheet has loaded (print.css is not script-blocking, so it may still be on its
  // way when this script runs), and again just before printing.
  if (document.body.classList.contains('layout-80mm')) {
    var thermalRule = -1;
    var sizeThermalPage = function () {
      var slip = document.querySelector('.slip');
      // Through the CSS object model (the Content-Security-Policy allows no inline <style>), into
      // print.css after its own 200 mm default, so this rule is the one that wins.
      var sheet = Array.prototype.find.call(document.styleSheets, function (s) {
        return s.href && /\/print\.css$/.test(s.href);
      });
      if (!slip || !sheet) return;
      var mm = Math.ceil((slip.getBoundingClientRect().height * 25.4) / 96) + 8;
      if (thermalRule >= 0 && thermalRule < sheet.cssRules.length) sheet.deleteRule(thermalRule);
      thermalRule = sheet.insertRule(
        '@page thermal { size: 80mm ' + mm + 'mm; margin: 3mm; }',
        sheet.cssRules.length,
      );
    };
    if (document.readyState === 'complete') sizeThermalPage();
    else window.addEventListener('load', sizeThermalPage);
    window.addEventListener('beforeprint', sizeThermalPage);
  }

  var printButton = document.querySelector('[data-print]');
  if (printButton) {
    printButton.addEventListener('click', function () {
      window.print();
    });
    if (printButton.hasAttribute('data-auto-print'))
      window.addEventListener('load', function () {
        window.print();
      });
  }

  // A link to a folded action form (the apology prompt → "Xin lỗi và hẹn lại") unfolds it.
  Array.prototype.forEach.call(document.querySelectorAll('[data-open]'), function (link) {
    link.addEventListener('click', function () {
      var form = document.getElementById(link.getAttribute('data-open'));
      var folded = form && form.closest('details');
      if (folded) folded.open = true;
      var first = form && form.querySelector('input:not([type=hidden]), textarea, select');
      if (first)
        setTimeout(function () {
          first.focus();
        }, 0);
    });
  });

  // The report's filters: a date typed into "Từ ngày" or "Đến ngày" asks for those days, so the
  // period becomes "Tùy chọn" (otherwise the server shows the chosen period and ignores them).
  var periodSelect = document.querySelector('select[data-period]');
  if (periodSelect) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-period-date]'), function (box) {
      box.addEventListener('input', function () {
        periodSelect.value = 'custom';
      });
    });
  }

  // Handing over: the officers offered are those of the unit chosen.
  var unitSelect = document.getElementById('hand_over-to_unit');
  var accountSelect = document.getElementById('hand_over-to_account');
  if (unitSelect && accountSelect) {
    var filterAccounts = function () {
      Array.prototype.forEach.call(accountSelect.options, function (option) {
        var unit = option.getAttribute('data-unit');
        option.hidden = unit !== null && unit !== unitSelect.value;
        if (option.hidden && option.selected) accountSelect.value = '';
      });
    };
    unitSelect.addEventListener('change', filterAccounts);
    filterAccounts();
  }
})();
