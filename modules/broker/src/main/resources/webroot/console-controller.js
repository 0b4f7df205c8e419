// Tern console, controller panel: the failover controller's view (GET /api/controller), shown only when the broker
// runs in controller mode. Uses el() and api() of console.js.
'use strict';

async function loadController() {
  let state;
  try {
    state = await api('/api/controller');
  } catch (e) {
    return; // not in controller mode (404) or no controller answers: no panel
  }
  let section = document.querySelector('#controller');
  if (!section) {
    section = el('section', { id: 'controller' });
    document.querySelector('main').append(section);
  }
  const rows = (state.groups || []).map((g) => el('tr', {},
    el('td', {}, g.group), el('td', {}, g.masterId), el('td', {}, g.epoch),
    el('td', {}, (g.syncStateSet || []).join(', ')),
    el('td', {}, Object.entries(g.replicas || {}).map(([id, r]) =>
      id + '=' + r.address + (state.leader ? (r.alive ? ' (alive)' : ' (dead)') : '')).join('  '))));
  section.replaceChildren(
    el('h2', {}, 'Controller'),
    el('p', {}, 'leader ' + (state.leaderId || '—') + ' · term ' + state.term + ' · peers ' + (state.peers || []).join(', ')),
    el('table', {}, el('thead', {}, el('tr', {}, ...['Group', 'Master', 'Epoch', 'SyncStateSet', 'Replicas']
      .map((h) => el('th', {}, h)))), el('tbody', {}, ...rows)));
}

loadController();
document.querySelector('#refresh').addEventListener('click', loadController);
