// The live operator page: the county's stops and route shapes drawn once from
// /v1/live/network, then every two seconds the vehicles, figures and alerts
// from /v1/live/state and the open bookings from /v1/rides. The operator's
// token is asked for once and kept in this tab's sessionStorage; a link may
// carry it in its fragment (#token=...), which never reaches the server.
'use strict';
(function () {
  const KEY = 'jintong.operator-token';
  const POLL_MS = 2000;
  const SVGNS = 'http://www.w3.org/2000/svg';
  const UNITS_PER_DEGREE = 1000;
  const $ = (id) => document.getElementById(id);

  let token = null;
  let proj = null;
  let timer = null;
  let view = null;
  const vehicles = new Map();

  class AuthError extends Error {}

  function takeToken() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(KEY);
  }

  function askToken(message) {
    if (timer) clearTimeout(timer);
    timer = null;
    sessionStorage.removeItem(KEY);
    $('login-error').textContent = message || '';
    $('login').hidden = false;
    $('token').focus();
  }

  async function api(path) {
    const r = await fetch(path, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
    if (r.status === 401) throw new AuthError('the token was not accepted');
    if (!r.ok) throw new Error(path + ' answered ' + r.status);
    return r.json();
  }

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVGNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function titled(e, text) {
    el('title', {}, e).textContent = text;
    return e;
  }

  function status(text, bad) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('bad', !!bad);
  }

  // ---- the map ----

  // An equirectangular projection around the county's middle latitude: fine for 60 km.
  function projection(points) {
    let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
    for (const [lat, lon] of points) {
      minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
      minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
    }
    if (!isFinite(minLat)) { minLat = 29.8; maxLat = 30.2; minLon = 104.3; maxLon = 104.9; }
    const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
    const w = Math.max((maxLon - minLon) * k * UNITS_PER_DEGREE, 1);
    const h = Math.max((maxLat - minLat) * UNITS_PER_DEGREE, 1);
    const pad = Math.max(w, h) * 0.04;
    return {
      x: (lon) => (lon - minLon) * k * UNITS_PER_DEGREE,
      y: (lat) => (maxLat - lat) * UNITS_PER_DEGREE,
      box: [-pad, -pad, w + 2 * pad, h + 2 * pad],
      size: Math.max(w, h),
    };
  }

  function setView(box) {
    view = box;
    $('map').setAttribute('viewBox', box.map((v) => v.toFixed(2)).join(' '));
  }

  function drawNetwork(net) {
    const points = [];
    for (const s of net.stops) points.push([s.lat, s.lon]);
    for (const l of net.lines) for (const p of l.shape) points.push(p);
    proj = projection(points);
    setView(proj.box.slice());
    const r = proj.size / 450;
    const lines = $('layer-lines'), stops = $('layer-stops');
    lines.replaceChildren();
    stops.replaceChildren();
    const kinds = {};
    for (const l of net.lines) {
      kinds[l.kind] = (kinds[l.kind] || 0) + 1;
      const pts = l.shape.map(([lat, lon]) => proj.x(lon).toFixed(1) + ',' + proj.y(lat).toFixed(1)).join(' ');
      titled(el('polyline', { class: 'line kind-' + l.kind, points: pts, 'data-line': l.code }, lines),
        l.code + ' ' + l.name);
    }
    const radius = { town_centre: 2.4, school: 2, depot: 2, market: 2 };
    for (const s of net.stops) {
      titled(el('circle', {
        class: 'stop kind-' + s.kind, cx: proj.x(s.lon).toFixed(1), cy: proj.y(s.lat).toFixed(1),
        r: ((radius[s.kind] || 1.1) * r).toFixed(2), 'data-stop': s.code,
      }, stops), s.name + ' (' + s.code + ')');
    }
    const names = { scheduled: 'scheduled', student: 'student', market_day: 'market-day', logistics: 'logistics', on_demand: 'on demand' };
    const legend = $('legend');
    legend.replaceChildren();
    for (const k of Object.keys(kinds).sort()) {
      const sw = document.createElement('span');
      sw.className = 'k-' + k;
      legend.append(sw, (names[k] || k) + ' ' + kinds[k]);
    }
    $('network').textContent = net.towns.length + ' towns, ' + net.stops.length + ' stops, ' +
      net.lines.length + ' lines with a route in effect';
    $('network').classList.remove('quiet');
  }

  function zoomable() {
    const svg = $('map');
    const toUser = (ev) => {
      const b = svg.getBoundingClientRect();
      const s = Math.max(view[2] / b.width, view[3] / b.height);
      return [view[0] + (ev.clientX - b.left) * s, view[1] + (ev.clientY - b.top) * s, s];
    };
    svg.addEventListener('wheel', (ev) => {
      if (!view) return;
      ev.preventDefault();
      const [ux, uy] = toUser(ev);
      const f = ev.deltaY > 0 ? 1.2 : 1 / 1.2;
      setView([ux - (ux - view[0]) * f, uy - (uy - view[1]) * f, view[2] * f, view[3] * f]);
    }, { passive: false });
    let drag = null;
    svg.addEventListener('pointerdown', (ev) => { if (view) { drag = [ev.clientX, ev.clientY, view.slice()]; svg.setPointerCapture(ev.pointerId); } });
    svg.addEventListener('pointermove', (ev) => {
      if (!drag) return;
      const b = svg.getBoundingClientRect();
      const s = Math.max(drag[2][2] / b.width, drag[2][3] / b.height);
      setView([drag[2][0] - (ev.clientX - drag[0]) * s, drag[2][1] - (ev.clientY - drag[1]) * s, drag[2][2], drag[2][3]]);
    });
    svg.addEventListener('pointerup', () => { drag = null; });
    svg.addEventListener('dblclick', () => { if (proj) setView(proj.box.slice()); });
  }

  // ---- the state ----

  function drawVehicles(list) {
    const layer = $('layer-vehicles');
    const seen = new Set();
    const r = proj.size / 260;
    for (const v of list) {
      seen.add(v.code);
      let g = vehicles.get(v.code);
      if (!g) {
        g = el('g', { class: 'vehicle', 'data-vehicle': v.code }, layer);
        el('circle', { r: r.toFixed(2) }, g);
        el('title', {}, g);
        vehicles.set(v.code, g);
      }
      g.style.transform = 'translate(' + proj.x(v.lon).toFixed(1) + 'px,' + proj.y(v.lat).toFixed(1) + 'px)';
      g.classList.toggle('offline', !v.online);
      const speed = v.speed_mps == null ? '' : ', ' + Math.round(v.speed_mps * 3.6) + ' km/h';
      g.lastChild.textContent = v.code + ' ' + v.name + speed + ', ' + v.age_s + ' s ago';
    }
    for (const [code, g] of vehicles) {
      if (!seen.has(code)) { g.remove(); vehicles.delete(code); }
    }
  }

  function listItems(ul, items, empty) {
    ul.replaceChildren();
    if (!items.length) {
      const li = document.createElement('li');
      li.className = 'quiet';
      li.textContent = empty;
      ul.appendChild(li);
      return;
    }
    for (const it of items) {
      const li = document.createElement('li');
      if (it.cls) li.className = it.cls;
      li.textContent = it.text;
      ul.appendChild(li);
    }
  }

  function place(p) {
    if (!p) return '?';
    return p.stop || p.village || (p.lat != null ? p.lat.toFixed(3) + ',' + p.lon.toFixed(3) : '?');
  }

  function drawState(st, rides) {
    drawVehicles(st.vehicles);
    $('kpi-online').textContent = st.fleet.online + ' of ' + st.fleet.vehicles;
    $('kpi-fixes').textContent = st.fixes.per_s == null ? '–' : st.fixes.per_s.toFixed(1);
    $('kpi-offered').textContent = st.rides.offered;
    $('kpi-refused').textContent = st.rides.refused;
    $('kpi-open').textContent = st.rides.open;
    if (!st.tracking) {
      listItems($('alerts'), [], 'no tracking data: late trips show here once trips are tracked');
    } else {
      listItems($('alerts'), st.late.map((t) => ({
        cls: 'late',
        text: t.trip + ' (' + t.line + ', ' + (t.vehicle || 'no vehicle') + ') ' + Math.round(t.late_s / 60) + ' min late' + (t.stop ? ' at ' + t.stop : ''),
      })), 'no trip is late');
    }
    const layer = $('layer-rides');
    layer.replaceChildren();
    const open = rides ? rides.rides || [] : [];
    for (const ride of open) {
      if (ride.from && ride.from.lat != null) {
        titled(el('circle', {
          class: 'ride', cx: proj.x(ride.from.lon).toFixed(1), cy: proj.y(ride.from.lat).toFixed(1),
          r: (proj.size / 300).toFixed(2),
        }, layer), 'ride ' + ride.id + ' ' + ride.state);
      }
    }
    listItems($('rides'), open.slice(0, 30).map((ride) => ({
      text: '#' + ride.id + ' ' + ride.state + ': ' + place(ride.from) + ' → ' + place(ride.to),
    })), rides ? 'none' : 'not available');
    var clk = st.clock && st.clock.simulated
      ? 'SIMULATED county time ' + new Date(st.time).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) + ' (×' + st.clock.rate + ')'
      : 'updated ' + new Date(st.time).toLocaleTimeString();
    status(clk + ' · ' + st.vehicles.length + ' vehicles on the map');
  }

  async function poll() {
    timer = null;
    try {
      const [st, rides] = await Promise.all([api('/v1/live/state'), api('/v1/rides').catch(() => null)]);
      drawState(st, rides);
    } catch (e) {
      if (e instanceof AuthError) return askToken(e.message);
      status('cannot reach jintongd: ' + e.message, true);
    }
    timer = setTimeout(poll, POLL_MS);
  }

  async function start() {
    $('login').hidden = true;
    status('loading the network…');
    try {
      drawNetwork(await api('/v1/live/network'));
    } catch (e) {
      if (e instanceof AuthError) return askToken(e.message);
      status('cannot load the network: ' + e.message, true);
      timer = setTimeout(start, POLL_MS * 2);
      return;
    }
    poll();
  }

  document.addEventListener('DOMContentLoaded', () => {
    zoomable();
    $('login').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const t = $('token').value.trim();
      if (!t) return;
      sessionStorage.setItem(KEY, t);
      token = t;
      $('token').value = '';
      start();
    });
    token = takeToken();
    if (token) start();
    else askToken('');
  });
})();
