// Tern console: reads the JSON API of the broker that serves this page. No build step, no dependencies.
'use strict';

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return e;
}

async function api(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({ error: 'HTTP ' + r.status }));
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}

const fmt = (n) => (n == null ? '' : Number(n).toLocaleString());
const time = (ms) => (ms > 0 ? new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC') : '—');

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return n.toFixed(i ? 1 : 0) + ' ' + units[i];
}

function uptime(ms) {
  const s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
}

async function loadBroker() {
  const [b, health] = await Promise.all([api('/api/broker'), fetch('/api/health').then((r) => r.json())]);
  $('#broker-name').textContent = b.brokerName + ' · ' + b.clusterName;
  document.title = 'Tern · ' + b.brokerName;
  const badge = $('#health');
  badge.textContent = health.status;
  badge.className = 'badge ' + (health.status === 'UP' ? 'up' : 'down');
  badge.title = health.reason || 'store writable';
  const s = b.store;
  const cards = [
    ['Address', b.address], ['Uptime', uptime(b.uptimeMs)], ['Messages put', fmt(b.messagesPutTotal)],
    ['Messages got', fmt(b.messagesGotTotal)], ['Put TPS (10s)', b.putTps.split(' ')[0]],
    ['Connections', fmt(b.connections)], ['Parked pulls', fmt(b.parkedPulls)],
    ['Commit log', bytes(s.maxPhysicalOffset - s.minPhysicalOffset)], ['Disk used', (s.commitLogDiskRatio * 100).toFixed(1) + ' %'],
    ['Flush mode', s.flushMode],
  ];
  $('#overview').replaceChildren(...cards.map(([k, v], i) => el('div', { class: i === 0 ? 'card wide' : 'card', title: String(v) },
    el('div', { class: 'k' }, k), el('div', { class: 'v' }, v))));
}

async function loadTopics() {
  const topics = await api('/api/topics');
  const showSystem = $('#show-system').checked;
  const visible = topics.filter((t) => showSystem || !t.system);
  const rows = visible.map((t) =>
    el('tr', {},
      el('td', {}, t.topic, t.system ? el('span', { class: 'muted' }, ' (system)') : ''),
      el('td', { class: 'num' }, t.readQueueNums + ' / ' + t.writeQueueNums),
      el('td', {}, t.permText),
      el('td', { class: 'num' }, fmt(t.messages)),
      el('td', { class: 'offsets', 'data-topic': t.topic }, '…')));
  $('#topics tbody').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'no topics yet'))]));
  // per-queue offsets of the first topics shown (one request each)
  await Promise.allSettled(visible.slice(0, 50).map((t) => loadOffsets(t.topic)));
}

async function loadOffsets(topic) {
  const t = await api('/api/topics/' + encodeURIComponent(topic));
  const cell = [...document.querySelectorAll('#topics td.offsets')].find((c) => c.dataset.topic === topic);
  if (cell) cell.textContent = t.queues.map((q) => q.queueId + ': ' + q.minOffset + '…' + q.maxOffset).join('   ');
}

async function loadGroups() {
  const groups = await api('/api/groups');
  const showSystem = $('#show-system-groups').checked;
  const rows = groups.filter((g) => showSystem || !g.system).map((g) =>
    el('tr', { class: 'clickable', onclick: () => showGroup(g.group) },
      el('td', {}, g.group),
      el('td', { class: 'num' }, g.onlineClients),
      el('td', {}, g.messageModel || '—'),
      el('td', {}, g.topics.join(', ')),
      el('td', { class: 'num' + (g.lag > 1000 ? ' lag-high' : '') }, fmt(g.lag))));
  $('#groups tbody').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'no consumer groups yet'))]));
}

async function showGroup(group) {
  const box = $('#group-detail');
  try {
    const g = await api('/api/groups/' + encodeURIComponent(group));
    const table = el('table', {}, el('thead', {}, el('tr', {}, ...['Topic', 'Queue', 'Broker offset', 'Consumer offset', 'Lag', 'Last consumed'].map((h) => el('th', {}, h)))));
    const body = el('tbody');
    for (const t of g.topics) {
      for (const q of t.queues) {
        body.append(el('tr', {}, el('td', {}, t.topic), el('td', { class: 'num' }, q.queueId), el('td', { class: 'num' }, fmt(q.brokerOffset)),
          el('td', { class: 'num' }, q.consumerOffset < 0 ? '—' : fmt(q.consumerOffset)), el('td', { class: 'num' }, fmt(q.lag)), el('td', {}, time(q.lastConsumedStoreTimestamp))));
      }
    }
    table.append(body);
    const clients = g.clients.map((c) => c.clientId + ' @ ' + c.clientAddr).join(', ') || 'none online';
    box.replaceChildren(el('div', { class: 'detail' }, el('h2', {}, g.group + ' — lag ' + fmt(g.lag)), el('p', { class: 'muted' }, 'Clients: ' + clients), table));
  } catch (e) {
    box.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

function messageDetail(m) {
  const fields = [['msgId', m.msgId], ['topic', m.topic], ['queue / offset', m.queueId + ' / ' + m.queueOffset], ['tags', m.tags || '—'],
    ['keys', m.keys || '—'], ['uniq key', m.uniqKey || '—'], ['born', time(m.bornTimestamp) + ' from ' + m.bornHost],
    ['stored', time(m.storeTimestamp) + ' at ' + m.storeHost], ['reconsume times', m.reconsumeTimes],
    ['properties', Object.entries(m.properties).map(([k, v]) => k + '=' + v).join('  ')], ['body (' + m.bodyEncoding + ', ' + m.bodySize + ' B)', el('pre', {}, m.body)]];
  return el('div', { class: 'detail' }, el('dl', {}, ...fields.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
}

async function lookup(ev) {
  ev.preventDefault();
  const box = $('#message');
  const id = $('#msg-id').value.trim();
  if (!id) return;
  try {
    box.replaceChildren(messageDetail(await api('/api/messages/' + encodeURIComponent(id))));
  } catch (e) {
    box.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

async function queryByKey() {
  const box = $('#message');
  const topic = $('#q-topic').value.trim(), key = $('#q-key').value.trim();
  try {
    const found = await api('/api/messages?topic=' + encodeURIComponent(topic) + '&key=' + encodeURIComponent(key));
    box.replaceChildren(...(found.length ? found.map(messageDetail) : [el('p', { class: 'muted' }, 'no message with key ' + key + ' in ' + topic)]));
  } catch (e) {
    box.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

async function refresh() {
  const results = await Promise.allSettled([loadBroker(), loadTopics(), loadGroups()]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) $('#health').textContent = 'unreachable';
}

$('#refresh').addEventListener('click', refresh);
$('#show-system').addEventListener('change', loadTopics);
$('#show-system-groups').addEventListener('change', loadGroups);
$('#lookup').addEventListener('submit', lookup);
$('#query').addEventListener('click', queryByKey);
refresh();
setInterval(refresh, 10000);
// deep link: /#msg=<offset msg id>
const linked = new URLSearchParams(location.hash.slice(1)).get('msg');
if (linked) {
  $('#msg-id').value = linked;
  lookup(new Event('submit'));
}
