// Progressive enhancement of the attach forms (every form works without this file):
//   F8            open the file picker of the component being worked on (the one holding the
//                 focus), else of the first component not yet digitised
//   F9            reuse every paper of the applicant already digitised and still valid for the
//                 components without a file (the one-key reuse; the button does the same)
//   drag and drop files onto a component: they are put into its form, ready to send
(function () {
  'use strict';

  function pickerOf(zone) {
    return zone && zone.querySelector('[data-file-picker]');
  }

  document.addEventListener('keydown', function (event) {
    if (event.key === 'F9') {
      var reuse = document.querySelector('form[data-reuse-all]');
      if (!reuse) return;
      event.preventDefault();
      if (reuse.requestSubmit) reuse.requestSubmit();
      else reuse.submit();
      return;
    }
    if (event.key !== 'F8') return;
    var zone = document.activeElement && document.activeElement.closest('[data-drop-zone]');
    var picker =
      pickerOf(zone) ||
      pickerOf(document.querySelector('[data-first-empty][data-drop-zone]')) ||
      document.querySelector('[data-file-picker]');
    if (!picker) return;
    event.preventDefault();
    picker.focus();
    picker.click();
  });

  Array.prototype.forEach.call(document.querySelectorAll('[data-drop-zone]'), function (zone) {
    var picker = pickerOf(zone);
    if (!picker) return;
    zone.addEventListener('dragover', function (event) {
      event.preventDefault();
      zone.classList.add('drop-target');
    });
    zone.addEventListener('dragleave', function () {
      zone.classList.remove('drop-target');
    });
    zone.addEventListener('drop', function (event) {
      event.preventDefault();
      zone.classList.remove('drop-target');
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      picker.files = event.dataTransfer.files;
      var submit = picker.form && picker.form.querySelector('button[type="submit"]');
      if (submit) submit.focus();
    });
  });
})();
