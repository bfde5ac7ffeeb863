'use strict';

// The pushhub operator dashboard. Everything shown comes from the admin API (docs/protocol.md, Admin API) or from a
// topic's own stream, and reaches the DOM as text only (textContent), never as markup.
(() => {
  const TOKEN_KEY = 'pushhub.adminToken';
  const POLL_MILLIS = 2000;
  const TAIL_MAX = 200;
  const RECENT_EVENTS = 20;
  // EventSource hands a named event only to listeners of that name: listen to the hub's own types
  // and learn the others from the topic's recent events.
  const HUB_TYPES = ['message', 'resync', 'expired'];

  const $ = (id) => document.getElementById(id);

  class AuthError extends Error {}

  // Bumped on every log in and out, so that a poll still under way from before stops there.
  let session = 0;
  let pollTimer = null;
  let previousCounts = null;
  let tail = null;

  const token = () => sessionStorage.getItem(TOKEN_KEY);

  async function api(path) {
    const headers = { Accept: 'application/json' };
    if (token()) {
      headers.Authorization = 'Bearer ' + token();
    }
    let response;
    try {
      response = await fetch(path, { headers, cache: 'no-store' });
    } catch (e) {
      throw new Error(`${path}: hub unreachable (${e.message})`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      // not JSON: the status says enough
    }
    if (response.ok && body) {
      return body;
    }
    const detail = body && body.error ? `${body.error}: ${body.message}` : response.statusText;
    const message = `${path} answered ${response.status} (${detail})`;
    throw response.status === 401 || response.status === 403 ? new AuthError(message) : new Error(message);
  }

  // ---- views

  function showLogin(message) {
    session++;
    clearTimeout(pollTimer);
    stopTail();
    sessionStorage.removeItem(TOKEN_KEY);
    $('main-view').hidden = true;
    $('logout').hidden = true;
    $('login-view').hidden = false;
    $('status').textContent = '';
    setError($('login-error'), message);
    $('token').focus();
  }

  function showMain() {
    session++;
    previousCounts = null;
    $('login-view').hidden = true;
    $('main-view').hidden = false;
    $('logout').hidden = false;
    poll(session);
  }

  async function poll(mine) {
    const answers = await Promise.allSettled([
      api('/admin/cluster'), api('/admin/topics?limit=1000'), api('/admin/connections?limit=500')]);
    if (mine !== session) {
      return;
    }
    const refused = answers.find((a) => a.status === 'rejected' && a.reason instanceof AuthError);
    if (refused) {
      showLogin(`${refused.reason.message}: enter an admin token`);
      return;
    }
    const [cluster, topics, connections] = answers;
    render(cluster, $('cluster-error'), renderCluster);
    render(topics, $('topics-error'), renderTopics);
    render(connections, $('connections-error'), renderConnections);
    if (tail) {
      learnTypes(tail);
    }
    $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
    pollTimer = setTimeout(() => poll(mine), POLL_MILLIS);
  }

  function render(answer, errorElement, renderer) {
    if (answer.status === 'fulfilled') {
      setError(errorElement, '');
      renderer(answer.value);
    } else {
      setError(errorElement, answer.reason.message);
    }
  }

  function renderCluster(view) {
    const nodes = view.nodes || [];
    const notClosed = nodes.filter((n) => n.breaker && n.breaker !== 'closed').length;
    $('cluster-summary').textContent = `${nodes.length} nodes, ${view.connections} streams, `
      + `${view.subscriptions} subscriptions, ${view.topics} topics with subscribers; publish breaker `
      + (notClosed ? `not closed on ${notClosed} node(s)` : 'closed everywhere');
    fill($('nodes'), nodes.map((n) => n.error
      ? [mono(n.id), n.name, '', cell('unreachable: ' + n.error, 'bad'), '', '', '', '']
      : [mono(n.id), n.name, n.httpAddress, n.draining ? cell('draining', 'warn') : cell('ready', 'ok'),
        num(n.connections), num(n.subscriptions), duration(n.uptimeSeconds),
        cell(n.breaker, n.breaker === 'closed' ? 'ok' : n.breaker === 'open' ? 'bad' : 'warn')]));
  }

  // The API gives each topic's count of events published: the rate is its change between polls.
  function renderTopics(list) {
    const now = performance.now();
    const before = previousCounts;
    previousCounts = { at: now, published: new Map(list.topics.map((t) => [t.topic, t.published])) };
    fill($('topics'), list.topics.map((t) => {
      let rate = '–';
      if (before && before.published.has(t.topic)) {
        const added = t.published - before.published.get(t.topic);
        // fewer than before: the log started over (purged), no rate this time
        if (added >= 0) {
          rate = (added / ((now - before.at) / 1000)).toFixed(1);
        }
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'tail';
      button.addEventListener('click', () => startTail(t.topic));
      return [mono(t.topic), num(t.subscribers), num(t.retained), num(t.published), num(rate), button];
    }));
  }

  function renderConnections(list) {
    fill($('connections'), list.connections.map((c) => [mono(c.id), mono(c.node), c.user ?? '–', c.remote,
      mono((c.topics || []).join(' ')), new Date(c.since).toLocaleString(), num(c.eventsSent), num(c.bytesSent)]));
  }

  // ---- the tail: the hub's own stream of one topic

  function startTail(topic) {
    stopTail();
    topic = topic.trim();
    if (!topic) {
      return;
    }
    $('tail-topic').value = topic;
    // EventSource cannot send headers: the token goes in the query (docs/protocol.md; the hub never logs it).
    const query = new URLSearchParams({ topic });
    if (token()) {
      query.set('access_token', token());
    }
    const source = new EventSource('/events?' + query);
    const t = { topic, source, types: new Set(), shown: new Set(), learnt: false };
    tail = t;
    HUB_TYPES.forEach((type) => listen(t, type));
    source.onopen = () => tailStatus('live', 'ok');
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        tailStatus('stream refused or ended: the token may lack subscribe rights for this topic, or has expired', 'bad');
      } else {
        tailStatus('reconnecting…', 'warn');
      }
    };
    $('tail-events').replaceChildren();
    $('tail-stop').disabled = false;
    tailStatus('connecting…', '');
    learnTypes(t);
  }

  function stopTail() {
    if (tail) {
      tail.source.close();
      tail = null;
    }
    $('tail-stop').disabled = true;
    tailStatus('', '');
  }

  function listen(t, type) {
    t.types.add(type);
    t.source.addEventListener(type, (e) => {
      // The hub's own events may carry no id of their own; the others are deduplicated by it.
      if (!HUB_TYPES.includes(type)) {
        if (t.shown.has(e.lastEventId)) {
          return;
        }
        remember(t, e.lastEventId);
      }
      show(e.lastEventId, type, e.data);
      if (type === 'expired') {
        t.source.close();
        tailStatus('the token expired: log in again with a fresh one', 'bad');
      }
    });
  }

  // Listens to each type seen in the topic's recent events. An event of a type new to the tail came
  // before its listener could: it is shown from there, unless it was already there at the start.
  async function learnTypes(t) {
    let recent;
    try {
      recent = await api(`/admin/topics/${encodeURIComponent(t.topic)}?events=${RECENT_EVENTS}`);
    } catch (e) {
      if (tail === t && !(e instanceof AuthError)) {
        tailStatus(e.message, 'bad');
      }
      return;
    }
    if (tail !== t) {
      return;
    }
    const fresh = new Set(recent.events.map((e) => e.event).filter((type) => !t.types.has(type)));
    fresh.forEach((type) => listen(t, type));
    for (const e of recent.events) {
      if (t.learnt && fresh.has(e.event) && !t.shown.has(e.id)) {
        remember(t, e.id);
        show(e.id, e.event, e.data);
      }
    }
    t.learnt = true;
  }

  function remember(t, id) {
    t.shown.add(id);
    if (t.shown.size > TAIL_MAX * 5) {
      t.shown = new Set([...t.shown].slice(-TAIL_MAX));
    }
  }

  function show(id, type, data) {
    const body = $('tail-events');
    body.prepend(row([new Date().toLocaleTimeString(), mono(id), type, cell(data, 'data')]));
    while (body.children.length > TAIL_MAX) {
      body.lastElementChild.remove();
    }
  }

  function tailStatus(text, className) {
    $('tail-status').textContent = text;
    $('tail-status').className = 'status ' + className;
  }

  // ---- DOM helpers: text only

  function cell(text, className) {
    return { text, className };
  }

  function mono(text) {
    return cell(text, 'mono');
  }

  function num(value) {
    return cell(value, 'num');
  }

  function row(values) {
    const tr = document.createElement('tr');
    for (const value of values) {
      const td = document.createElement('td');
      if (value instanceof Node) {
        td.append(value);
      } else if (value !== null && typeof value === 'object') {
        td.textContent = value.text ?? '–';
        td.className = value.className;
      } else {
        td.textContent = value ?? '–';
      }
      tr.append(td);
    }
    return tr;
  }

  function fill(table, rows) {
    table.tBodies[0].replaceChildren(...rows.map(row));
  }

  function setError(element, message) {
    element.textContent = message;
    element.hidden = !message;
  }

  function duration(seconds) {
    const units = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
    const parts = [];
    let rest = seconds;
    for (const [unit, size] of units) {
      if (rest >= size || (unit === 's' && parts.length === 0)) {
        parts.push(Math.floor(rest / size) + unit);
        rest %= size;
      }
    }
    return parts.slice(0, 2).join(' ');
  }

  // ---- wiring

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    setError($('login-error'), '');
    showMain();
  });
  $('logout').addEventListener('click', () => showLogin(''));
  $('tail-form').addEventListener('submit', (e) => {
    e.preventDefault();
    startTail($('tail-topic').value);
  });
  $('tail-stop').addEventListener('click', stopTail);

  if (token() === null) {
    showLogin('');
  } else {
    showMain();
  }
})();
