// The ticket's phone page: position and estimated wait, live from the office's stream.
(function () {
  var print = document.querySelector('[data-print]');
  if (print)
    print.addEventListener('click', function () {
      window.print();
    });
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
  function connect() {
    source = new EventSource(live.dataset.stream);
    source.onmessage = function (e) {
      var data = JSON.parse(e.data);
      text.textContent = data.text;
      estimate.textContent = data.estimate;
      document.body.dataset.ticketState = data.state;
      if (data.state === 'called' && navigator.vibrate) navigator.vibrate([300, 100, 300]);
    };
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    };
  }
  connect();
})();
