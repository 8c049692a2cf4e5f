// Progressive enhancement for /needs/new: while a resident writes, show up
// to five similar needs already raised, so they can support one instead.
// The form works without this script (the "check for similar needs" step).
// Built with the DOM only: no markup from the server is ever parsed.
(function () {
  'use strict';
  var form = document.getElementById('need-form');
  var box = document.getElementById('similar-live');
  if (!form || !box || !window.fetch) return;
  var title = form.querySelector('[name=title]');
  var body = form.querySelector('[name=body]');
  var list = box.querySelector('ul');
  var timer = null;
  var last = '';

  function show(items) {
    while (list.firstChild) list.removeChild(list.firstChild);
    items.forEach(function (n) {
      if (!n.title) return;
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = n.url;
      a.textContent = n.title;
      li.appendChild(a);
      var meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = ' ' + n.community + ' · ' + n.supports;
      li.appendChild(meta);
      list.appendChild(li);
    });
    box.hidden = list.childNodes.length === 0;
  }

  function lookup() {
    var text = (title.value + '\n' + body.value).trim();
    if (text.length < 4 || text === last) return;
    last = text;
    fetch('/api/v1/needs/similar?text=' + encodeURIComponent(text.slice(0, 2000)), { credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : { items: [] }; })
      .then(function (data) { show(data.items || []); })
      .catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(lookup, 400);
  }
  title.addEventListener('input', later);
  body.addEventListener('input', later);
})();
