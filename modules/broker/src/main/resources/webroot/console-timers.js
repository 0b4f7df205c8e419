// Tern console, timer messages panel: GET /api/timers (src-docs/timers.md). Uses el/api/fmt/time of console.js.
'use strict';

(function () {
  const section = el('section', { id: 'timers' },
    el('div', { class: 'section-head' }, el('h2', {}, 'Timer messages')),
    el('div', { id: 'timer-summary' }),
    el('table', { id: 'timer-topics' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Topic'), el('th', {}, 'Pending timers'))),
      el('tbody')));
  document.querySelector('main').append(section);

  async function loadTimers() {
    const summary = document.querySelector('#timer-summary');
    const body = document.querySelector('#timer-topics tbody');
    try {
      const t = await api('/api/timers');
      summary.textContent = fmt(t.pendingTotal) + ' pending · next due ' + time(t.nextDueMs)
        + ' · precision ' + t.precisionMs + ' ms · max delay ' + Math.round(t.maxDelaySec / 86400) + ' days';
      const rows = Object.entries(t.pending || {}).map(([topic, n]) => el('tr', {}, el('td', {}, topic), el('td', {}, fmt(n))));
      body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '2' }, 'none pending'))]));
    } catch (e) {
      summary.textContent = 'timer messages not served here: ' + e.message;
      body.replaceChildren();
    }
  }

  document.querySelector('#refresh').addEventListener('click', loadTimers);
  setInterval(loadTimers, 5000);
  loadTimers();
})();
