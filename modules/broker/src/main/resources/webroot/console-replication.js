// Tern console, replication panel: this broker's role and, on a master, each connected slave with its acknowledged
// offset and lag in bytes and messages; on a slave, its master and lag. Reads /api/broker's "replication" object.
// Uses el/api/fmt/bytes from console.js (loaded first).
'use strict';

function replicationSection() {
  let section = document.getElementById('replication');
  if (!section) {
    section = el('section', { id: 'replication' }, el('h2', {}, 'Replication'), el('div', { id: 'replication-body' }));
    document.getElementById('overview').after(section);
  }
  return document.getElementById('replication-body');
}

function replicationCards(pairs) {
  return el('div', { class: 'cards' }, ...pairs.map(([k, v]) =>
    el('div', { class: 'card', title: String(v) }, el('div', { class: 'k' }, k), el('div', { class: 'v' }, v))));
}

function masterView(r) {
  const cards = replicationCards([['Role', r.role], ['Replication port', r.haPort], ['In-sync replicas', r.inSyncReplicas],
    ['Commit log end', fmt(r.maxOffset)]]);
  const head = el('thead', {}, el('tr', {}, ...['Slave id', 'Address', 'Streaming', 'Acked offset', 'Lag (bytes)', 'Lag (messages)']
    .map((h) => el('th', {}, h))));
  const rows = (r.slaves || []).map((s) => el('tr', {},
    el('td', { class: 'num' }, s.brokerId < 0 ? '—' : s.brokerId),
    el('td', {}, s.address),
    el('td', {}, s.streaming ? 'yes' : 'no'),
    el('td', { class: 'num' }, s.ackedOffset < 0 ? '—' : fmt(s.ackedOffset)),
    el('td', { class: 'num' }, bytes(s.lagBytes)),
    el('td', { class: 'num' + (s.lagMessages > 1000 ? ' lag-high' : '') }, s.lagMessages < 0 ? '—' : fmt(s.lagMessages))));
  const body = el('tbody', {}, ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'no slave connected'))]));
  return [cards, el('table', { id: 'replication-slaves' }, head, body)];
}

function slaveView(r) {
  return [replicationCards([['Role', r.role], ['Master', r.master || 'not connected'], ['Commit log end', fmt(r.maxOffset)],
    ['Master log end', r.masterMaxOffset < 0 ? '—' : fmt(r.masterMaxOffset)], ['Lag (bytes)', r.lagBytes == null ? '—' : bytes(r.lagBytes)]])];
}

async function loadReplication() {
  const b = await api('/api/broker');
  const r = b.replication;
  if (!r) return;
  replicationSection().replaceChildren(...(r.role === 'SLAVE' ? slaveView(r) : masterView(r)));
}

document.getElementById('refresh').addEventListener('click', () => loadReplication().catch(() => {}));
loadReplication().catch(() => {});
setInterval(() => loadReplication().catch(() => {}), 10000);
