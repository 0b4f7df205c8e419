// Tern console, message trace panel: GET /api/messages/{id}/trace. Uses el/api/time/$ from console.js.
'use strict';

(function tracePanel() {
  const input = el('input', { id: 'trace-id', placeholder: 'message id (client msgId or offset id)', size: '40' });
  const form = el('form', { id: 'trace-form' }, input, el('button', { type: 'submit' }, 'Show trace'));
  const box = el('div', { id: 'trace' });
  $('main').append(el('section', { id: 'trace-panel' }, el('h2', {}, 'Message trace'), form, box));

  const status = (ok) => (ok == null ? 'consuming' : ok ? 'success' : 'failed');
  const cost = (ms) => (ms >= 0 ? ms + ' ms' : '—');

  function table(head, rows) {
    return el('table', { class: 'trace' }, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))));
  }

  function render(t) {
    const parts = [];
    if (t.message) {
      parts.push(el('p', { class: 'muted' }, 'Stored ' + time(t.message.storeTimestamp) + ' at ' + t.message.storeHost
        + ' in ' + t.message.topic + ' queue ' + t.message.queueId + ' offset ' + t.message.queueOffset));
    }
    parts.push(el('h3', {}, 'Sent'), t.published.length
      ? table(['Producer group', 'Client', 'Send time', 'Cost', 'Status', 'Topic', 'Tags', 'Keys', 'Stored by', 'Recorded by'],
        t.published.map((p) => [p.producerGroup, p.clientHost, time(p.sendTimestamp), cost(p.costTimeMs), status(p.success),
          p.topic, p.tags || '—', p.keys || '—', p.storeHost, p.source]))
      : el('p', { class: 'muted' }, 'no send record'));
    parts.push(el('h3', {}, 'Consumed'), t.consumed.length
      ? table(['Consumer group', 'Client', 'Consume time', 'Cost', 'Status', 'Retry'],
        t.consumed.map((c) => [c.group, c.clientHost, time(c.beginTimestamp >= 0 ? c.beginTimestamp : c.endTimestamp),
          cost(c.costTimeMs), status(c.success), c.retryTimes >= 0 ? c.retryTimes : '—']))
      : el('p', { class: 'muted' }, 'not consumed by a group with trace on'));
    return el('div', { class: 'detail' }, ...parts);
  }

  async function show(ev) {
    if (ev) ev.preventDefault();
    const id = input.value.trim();
    if (!id) return;
    try {
      box.replaceChildren(render(await api('/api/messages/' + encodeURIComponent(id) + '/trace')));
    } catch (e) {
      box.replaceChildren(el('p', { class: 'error' }, e.message));
    }
  }

  form.addEventListener('submit', show);
  // deep link: /#trace=<msgId>
  const linked = new URLSearchParams(location.hash.slice(1)).get('trace');
  if (linked) {
    input.value = linked;
    show();
  }
}());
