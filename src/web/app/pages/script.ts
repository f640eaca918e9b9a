/**
 * The settings pages' only script, progressive: every form works without it. It refreshes the
 * template preview as the person types (the form's own Preview button does the same without it),
 * and follows a running sync: it polls /api/connections and rewrites each progress in the words of
 * sync-progress.ts; when every sync has finished it reloads the page once (so the figures it shows
 * fill in) unless a form on it has been typed into.
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

(function () {
  var running = document.querySelectorAll('[data-sync-progress][data-running]');
  if (!running.length || !window.fetch) return;
  var typed = false;
  document.addEventListener('input', function () { typed = true; });
  function words(p) {
    if (!p) return 'Waiting to start';
    var counts = p.customers + ' customers, ' + p.invoices + ' invoices, ' + p.payments + ' payments';
    var kind = p.kind === 'full' ? 'full sync' : 'changes only';
    if (p.phase === 'done') return 'Done (' + kind + '): read ' + counts;
    if (p.phase === 'failed') return 'Failed (' + kind + ') after ' + counts;
    return 'Reading ' + p.phase + ' (' + kind + '): ' + counts + ' so far';
  }
  var delay = 700;
  function poll() {
    fetch('/api/connections', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        var left = 0;
        (body.connections || []).forEach(function (c) {
          var node = document.querySelector('[data-sync-progress="' + c.id + '"]');
          if (!node) return;
          node.textContent = words(c.syncProgress);
          var p = c.syncProgress;
          if (c.status === 'active' && (!p || (p.phase !== 'done' && p.phase !== 'failed'))) left += 1;
          else node.removeAttribute('data-running');
        });
        if (left > 0) { delay = Math.min(delay * 1.5, 5000); setTimeout(poll, delay); }
        else if (!typed) window.location.reload();
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, delay);
})();
`;
