/**
 * The settings pages' only script, progressive: every form works without it. It refreshes the
 * template preview as the person types (the form's own Preview button does the same without it).
 */
export const appScript = `
(function () {
  var form = document.querySelector('form[data-live-preview]');
  if (!form) return;
  var frame = document.getElementById('preview-html');
  var text = document.getElementById('preview-text');
  var subject = document.getElementById('preview-subject');
  var problems = document.getElementById('preview-problems');
  var timer = null;
  function refresh() {
    var body = new URLSearchParams(new FormData(form));
    fetch(form.getAttribute('data-live-preview'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body,
      credentials: 'same-origin'
    }).then(function (response) { return response.json(); }).then(function (result) {
      if (result.problems && result.problems.length) {
        problems.hidden = false;
        problems.textContent = result.problems.join(' ');
        return;
      }
      problems.hidden = true;
      subject.textContent = result.subject;
      frame.srcdoc = result.html;
      text.textContent = result.text;
    }).catch(function () {});
  }
  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
`;
