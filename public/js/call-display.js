// The hall's call display: follows the office's stream of calls (server-sent events), shows the
// latest number large, chimes and, when asked, speaks the call in a Vietnamese voice.
(function () {
  var main = document.querySelector('[data-stream]');
  if (!main || !window.EventSource) return;
  var now = main.querySelector('[data-now]');
  var calls = main.querySelector('[data-calls]');
  var groups = main.querySelector('[data-groups]');
  var offline = main.querySelector('[data-offline]');
  var soundButton = document.querySelector('[data-sound]');
  var speakBox = document.querySelector('[data-speak]');
  var seen = {};
  try {
    JSON.parse(document.getElementById('initial-calls').textContent).forEach(function (id) {
      seen[id] = true;
    });
  } catch {
    /* none */
  }
  var audio = null;

  soundButton.addEventListener('click', function () {
    // Browsers allow sound only after a gesture: this click unlocks it.
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    soundButton.setAttribute('aria-pressed', 'true');
    chime();
  });

  function chime() {
    if (!audio) return;
    [660, 880].forEach(function (freq, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.3, audio.currentTime + i * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + i * 0.35 + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + i * 0.35);
      osc.stop(audio.currentTime + i * 0.35 + 0.32);
    });
  }

  function speak(call) {
    if (!speakBox.checked || !window.speechSynthesis) return;
    var voice = speechSynthesis.getVoices().filter(function (v) {
      return /^vi/i.test(v.lang);
    })[0];
    if (!voice) return;
    var number = call.number.split('').join(' ');
    var u = new SpeechSynthesisUtterance(
      main.dataset.spoken.replace('{so}', number).replace('{quay}', call.counter),
    );
    u.voice = voice;
    u.lang = voice.lang;
    speechSynthesis.speak(u);
  }

  function cell(text) {
    var td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  function render(data) {
    var first = data.calls[0];
    now.textContent = '';
    if (first) {
      [
        ['display-number', first.number],
        ['display-arrow', '→'],
        ['display-counter', first.counter],
      ].forEach(function (p) {
        var span = document.createElement('span');
        span.className = p[0];
        span.textContent = p[1];
        now.appendChild(span);
        now.appendChild(document.createTextNode(' '));
      });
    } else {
      now.textContent = main.dataset.none;
    }
    calls.textContent = '';
    data.calls.slice(1).forEach(function (c) {
      var tr = document.createElement('tr');
      tr.appendChild(cell(c.number));
      tr.appendChild(cell(c.counter));
      calls.appendChild(tr);
    });
    groups.textContent = '';
    data.groups.forEach(function (g) {
      var li = document.createElement('li');
      var name = document.createElement('span');
      name.textContent = g.name;
      var n = document.createElement('strong');
      n.textContent = g.waiting;
      li.appendChild(name);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(n);
      if (g.next.length) {
        var next = document.createElement('span');
        next.className = 'display-next';
        next.textContent = '(' + g.next.join(', ') + ')';
        li.appendChild(document.createTextNode(' '));
        li.appendChild(next);
      }
      groups.appendChild(li);
    });
    var fresh = data.calls.filter(function (c) {
      return !seen[c.id];
    });
    fresh.forEach(function (c) {
      seen[c.id] = true;
    });
    if (fresh.length) {
      document.body.dataset.lastCall = fresh[0].number;
      chime();
      speak(fresh[0]);
    }
  }

  var source;
  var delay = 3000;
  var offlineText = offline.textContent;
  function connect() {
    source = new EventSource(main.dataset.stream);
    source.onopen = function () {
      offline.hidden = true;
      offline.textContent = offlineText;
    };
    source.onmessage = function (e) {
      delay = 3000;
      render(JSON.parse(e.data));
    };
    // The server is full for now: it said when to come back (the EventSource does, by itself).
    source.addEventListener('busy', function (e) {
      var data = JSON.parse(e.data);
      offline.textContent = main.dataset.busy.replace('{s}', data.retry_after);
      offline.hidden = false;
    });
    source.onerror = function () {
      offline.hidden = false;
      // EventSource retries by itself; if the browser gave up (closed), start again, later each time.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, delay + Math.random() * 2000);
        delay = Math.min(delay * 2, 60000);
      }
    };
  }
  connect();
})();
