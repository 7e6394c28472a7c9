// The status page: reads /v1/status, dead letters, Manager objects and Processes with the bearer token, every two seconds.
// The token comes from the address's fragment (#token=…, never sent to a server) or a form, and
// lives in this tab's sessionStorage only; every call sends it in the Authorization header, so a
// page on another site cannot make an authorized request (no cookie, no CORS permission).
'use strict';
(function () {
  const KEY = 'forklift-token';
  const $ = (id) => document.getElementById(id);
  let timer = null;

  function token() { return sessionStorage.getItem(KEY); }

  function takeTokenFromFragment() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  async function api(method, path) {
    const res = await fetch(path, { method, headers: { Authorization: 'Bearer ' + token() }, cache: 'no-store' });
    const body = await res.json().catch(() => ({}));
    if (res.status === 401) { sessionStorage.removeItem(KEY); showLogin(body.message); throw new Error(body.message); }
    if (!res.ok) throw new Error(body.message || (method + ' ' + path + ': ' + res.status));
    return body;
  }

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function uptime(ms) {
    if (ms === null || ms === undefined) return '';
    const s = Math.floor(ms / 1000);
    if (s < 120) return s + ' s';
    if (s < 7200) return Math.floor(s / 60) + ' min';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  function renderQueues(queues) {
    const body = $('queues').tBodies[0];
    body.replaceChildren();
    for (const q of queues) {
      const tr = document.createElement('tr');
      tr.dataset.queue = q.name;
      cell(tr, q.name, 'name');
      cell(tr, q.ready, 'ready');
      cell(tr, q.delayed, 'delayed');
      cell(tr, q.inFlight, 'inflight');
      cell(tr, q.dead, 'dead');
      cell(tr, q.cap || '', 'cap');
      cell(tr, q.rate, 'rate');
      body.appendChild(tr);
    }
  }

  function renderWorkers(workers) {
    const body = $('workers').tBodies[0];
    body.replaceChildren();
    for (const w of workers) {
      const tr = document.createElement('tr');
      tr.className = 'worker';
      tr.dataset.worker = w.id;
      cell(tr, w.id, 'text');
      cell(tr, w.host, 'text');
      cell(tr, w.pid, 'pid');
      cell(tr, w.queues.join(', '), 'text');
      cell(tr, w.busy + ' / ' + w.processes + ' busy', 'state');
      cell(tr, w.succeeded + ' ok, ' + w.failed + ' failed', 'text');
      cell(tr, uptime(w.uptimeMs), 'uptime');
      body.appendChild(tr);
      for (const c of w.children) {
        const ctr = document.createElement('tr');
        ctr.className = 'child';
        ctr.dataset.worker = w.id;
        ctr.dataset.pid = c.pid;
        cell(ctr, 'child', 'text');
        cell(ctr, '', 'text');
        cell(ctr, c.pid, 'pid');
        cell(ctr, '', 'text');
        cell(ctr, c.state, c.state + ' state');
        cell(ctr, c.task, 'text task');
        cell(ctr, uptime(c.uptimeMs), 'uptime');
        body.appendChild(ctr);
      }
    }
  }

  function renderUtilization(u) {
    $('utilization-now').textContent = Math.round(u.now * 100) + ' %';
    $('busy').textContent = u.busy;
    $('processes').textContent = u.processes;
    const h = u.history;
    if (h.length < 2) { $('utilization-line').setAttribute('points', ''); return; }
    const t0 = h[0].at, span = Math.max(1, h[h.length - 1].at - t0);
    const points = h.map((s) => {
      const x = ((s.at - t0) / span) * 600;
      const y = 118 - (s.processes ? s.busy / s.processes : 0) * 116;
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    $('utilization-line').setAttribute('points', points.join(' '));
  }

  async function renderDead(queues) {
    const box = $('dead');
    const withDead = queues.filter((q) => q.dead > 0);
    if (withDead.length === 0) { box.replaceChildren(); const p = document.createElement('p'); p.className = 'muted'; p.textContent = 'none'; box.appendChild(p); return; }
    const parts = [];
    for (const q of withDead) {
      const d = await api('GET', '/v1/queues/' + encodeURIComponent(q.name) + '/dead?limit=50');
      const div = document.createElement('div');
      div.className = 'dead-queue';
      div.dataset.queue = q.name;
      const h = document.createElement('h3');
      h.textContent = q.name + ': ' + d.count + ' dead';
      div.appendChild(h);
      div.appendChild(button('Retry all', 'retry-all', () => act('POST', '/v1/queues/' + encodeURIComponent(q.name) + '/dead/retry')));
      div.appendChild(button('Purge', 'purge', () => {
        if (confirm('Delete every dead letter of ' + q.name + '?')) return act('POST', '/v1/queues/' + encodeURIComponent(q.name) + '/dead/purge');
      }));
      const table = document.createElement('table');
      const head = table.createTHead().insertRow();
      for (const t of ['task id', 'reason', 'error', 'attempt', '']) { const th = document.createElement('th'); th.textContent = t; head.appendChild(th); }
      const tb = table.createTBody();
      for (const r of d.records) {
        const tr = tb.insertRow();
        tr.className = 'dead-letter';
        tr.dataset.id = r.id || '';
        cell(tr, r.id, 'text');
        cell(tr, r.reason, 'text reason');
        cell(tr, r.error ? r.error.type + (r.error.message ? ': ' + r.error.message : '') : '', 'text');
        cell(tr, r.attempt, '');
        const td = cell(tr, '', '');
        if (r.id) td.appendChild(button('Retry', 'retry', () => act('POST', '/v1/queues/' + encodeURIComponent(q.name) + '/dead/retry?id=' + encodeURIComponent(r.id))));
      }
      div.appendChild(table);
      parts.push(div);
    }
    box.replaceChildren(...parts);
  }

  // The Manager objects of every manager the token covers; absent when the API serves none (404).
  async function renderObjects() {
    let managers;
    try { managers = (await api('GET', '/v1/managers')).managers; } catch (e) { return; }
    const body = $('objects').tBodies[0];
    const rows = [];
    for (const m of managers) {
      const list = await api('GET', '/v1/managers/' + encodeURIComponent(m) + '/objects');
      for (const o of list.objects) {
        const tr = document.createElement('tr');
        tr.dataset.object = m + '/' + o.name;
        cell(tr, m, 'name');
        cell(tr, o.name, 'name');
        cell(tr, o.kind, 'text');
        cell(tr, o.size, 'size');
        cell(tr, o.idleSeconds < 0 ? '' : o.idleSeconds + ' s', '');
        rows.push(tr);
      }
    }
    body.replaceChildren(...rows);
  }

  // The newest Processes, running and ended; absent when the token does not cover queue _processes.
  async function renderProcesses() {
    let list;
    try { list = (await api('GET', '/v1/processes?limit=50')).processes; } catch (e) { return; }
    const rows = [];
    for (const p of list) {
      const tr = document.createElement('tr');
      tr.dataset.process = p.id;
      cell(tr, p.name, 'name');
      cell(tr, p.task, 'text');
      cell(tr, p.state, p.state + ' state');
      cell(tr, p.pid, 'pid');
      cell(tr, p.host, 'text');
      cell(tr, p.exitCode, 'exit');
      if (p.error) tr.title = p.error;
      rows.push(tr);
    }
    $('process-list').tBodies[0].replaceChildren(...rows);
  }

  function button(text, cls, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.className = cls;
    b.addEventListener('click', async () => { b.disabled = true; try { await onClick(); } finally { b.disabled = false; } });
    return b;
  }

  async function act(method, path) {
    try { await api(method, path); await refresh(); } catch (e) { showError(e.message); }
  }

  function showError(message) { const e = $('error'); e.textContent = message; e.hidden = !message; }

  function showLogin(message) {
    $('main').hidden = true;
    $('forget').hidden = true;
    $('login').hidden = false;
    showError(message || '');
    if (timer) { clearInterval(timer); timer = null; }
  }

  async function refresh() {
    try {
      const s = await api('GET', '/v1/status');
      renderUtilization(s.utilization);
      renderQueues(s.queues);
      renderWorkers(s.workers);
      await renderDead(s.queues);
      await renderObjects();
      await renderProcesses();
      $('updated').textContent = 'updated ' + new Date(s.at).toLocaleTimeString();
      $('updated').dataset.at = s.at;
      showError('');
    } catch (e) {
      if (token()) showError('cannot read the status: ' + e.message);
    }
  }

  function start() {
    if (!token()) { showLogin(); return; }
    $('login').hidden = true;
    $('main').hidden = false;
    $('forget').hidden = false;
    refresh();
    if (!timer) timer = setInterval(refresh, 2000);
  }

  document.addEventListener('DOMContentLoaded', () => {
    takeTokenFromFragment();
    $('use-token').addEventListener('click', () => { sessionStorage.setItem(KEY, $('token').value.trim()); $('token').value = ''; start(); });
    $('forget').addEventListener('click', () => { sessionStorage.removeItem(KEY); showLogin(); });
    start();
  });
})();
