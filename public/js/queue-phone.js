// The ticket's phone page: position and estimated wait, live from the office's stream.
(function () {
  var print = document.querySelector('[data-print]');
  if (print) {
    print.addEventListener('click', function () {
      window.print();
    });
    // At the kiosk the slip prints by itself: the tap on the service was the citizen's one tap.
    if (print.hasAttribute('data-auto-print'))
      window.addEventListener('load', function () {
        window.print();
      });
  }
  // On the kiosk the ticket page gives way to the next citizen after a while.
  var back = document.querySelector('[data-return]');
  if (back)
    setTimeout(function () {
      location.href = back.dataset.return;
    }, 45000);
  var live = document.querySelector('[data-stream]');
  if (!live || !window.EventSource) return;
  var text = live.querySelector('[data-live="text"]');
  var estimate = live.querySelector('[data-live="estimate"]');
  var source;
  var delay = 3000;
  var over = false;
  function connect() {
    source = new EventSource(live.dataset.stream);
    source.onmessage = function (e) {
      var data = JSON.parse(e.data);
      delay = 3000;
      text.textContent = data.text;
      estimate.textContent = data.estimate;
      document.body.dataset.ticketState = data.state;
      over = data.state === 'done' || data.state === 'no_show';
      if (data.state === 'called' && navigator.vibrate) navigator.vibrate([300, 100, 300]);
    };
    source.onerror = function () {
      // Closed: the turn is over (the server answers 204), or the server could not keep the
      // stream; then start again, later each time.
      if (source.readyState === EventSource.CLOSED && !over) {
        setTimeout(connect, delay + Math.random() * 2000);
        delay = Math.min(delay * 2, 60000);
      }
    };
  }
  connect();
})();
