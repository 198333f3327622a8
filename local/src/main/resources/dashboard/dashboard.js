// Laurel dashboard: asks GET /v1/programs/{programId}/reports/summary (and the program, for its name
// and currency) with the admin key typed in, and shows the answer as figures, two charts and tables.
// Plain browser JavaScript, no build step; charts by the vendored uPlot. The key is kept at most in
// sessionStorage (when the box is ticked) and only ever sent in the Authorization header.
(function () {
  'use strict';

  var KEY_STORAGE = 'laurel.dashboard.adminKey';
  var PREFS_STORAGE = 'laurel.dashboard.prefs';
  var ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;
  var DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
  var TOP = 10;
  var COLORS = {issued: '#2e7d32', redeemed: '#1565c0', expired: '#c62828', redemptions: '#6a1b9a', orders: '#ef6c00'};

  // The totals, in the order shown. kind: points, count or money (minor units of the program's currency).
  var TOTALS = [
    {figure: 'pointsIssued', label: 'Points issued', kind: 'points'},
    {figure: 'pointsRedeemed', label: 'Points redeemed', kind: 'points'},
    {figure: 'pointsExpired', label: 'Points expired', kind: 'points'},
    {figure: 'outstandingPoints', label: 'Outstanding liability', kind: 'points',
      note: 'points members hold now (available + pending), whatever the dates'},
    {figure: 'redemptions', label: 'Redemptions', kind: 'count'},
    {figure: 'attributedOrderMinor', label: 'Attributed order value', kind: 'money', note: 'orders with a redemption'},
    {figure: 'discountMinor', label: 'Discounts given', kind: 'money'},
    {figure: 'membersJoined', label: 'Members joined', kind: 'count'},
    {figure: 'pointsRolledBack', label: 'Points rolled back', kind: 'points', note: 'redemptions undone'},
    {figure: 'pointsRefunded', label: 'Points refunded', kind: 'points', note: 'taken back by refunds'}
  ];
  var DAILY = ['pointsIssued', 'pointsRedeemed', 'pointsExpired', 'redemptions', 'attributedOrderMinor'];

  var $ = function (id) { return document.getElementById(id); };
  var charts = [];

  // ---- numbers: exact integers, formatted with Intl -------------------------------------------

  // JSON whose integers stay exact: beyond 2^53 a number becomes a BigInt (where the browser gives
  // JSON.parse the source text; elsewhere it stays a number).
  function parseJson(text) {
    return JSON.parse(text, function (key, value, context) {
      if (typeof value === 'number' && !Number.isSafeInteger(value) && context && /^-?\d+$/.test(context.source)) {
        return BigInt(context.source);
      }
      return value;
    });
  }

  var integerFormat = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});

  function fractionDigits(currency) {
    return new Intl.NumberFormat('en', {style: 'currency', currency: currency}).resolvedOptions().maximumFractionDigits;
  }

  // Minor units as an exact decimal string ("12999", 2 -> "129.99"), which Intl formats without rounding.
  function decimal(minor, digits) {
    var s = String(minor);
    var negative = s.charAt(0) === '-';
    var d = negative ? s.slice(1) : s;
    if (digits === 0) {
      return s;
    }
    while (d.length <= digits) {
      d = '0' + d;
    }
    return (negative ? '-' : '') + d.slice(0, d.length - digits) + '.' + d.slice(d.length - digits);
  }

  function formatMoney(minor, currency) {
    if (!currency) {
      return integerFormat.format(minor) + ' (minor units)';
    }
    var format = new Intl.NumberFormat(undefined, {style: 'currency', currency: currency});
    return format.format(decimal(minor, fractionDigits(currency)));
  }

  function format(value, kind, currency) {
    return kind === 'money' ? formatMoney(value, currency) : integerFormat.format(value);
  }

  // ---- the API ------------------------------------------------------------------------------------

  function ApiError(status, code, message, details) {
    this.status = status;
    this.code = code;
    this.message = message;
    this.details = details || {};
  }

  function apiBase() {
    var typed = $('api-base').value.trim().replace(/\/+$/, '');
    return typed || window.location.origin;
  }

  // One GET with the key; answers the parsed body, or throws an ApiError in the API's error shape
  // (or API Gateway's {"message"} when it answers before Laurel does).
  function get(path, key) {
    var url = apiBase() + path;
    return fetch(url, {
      headers: {'Authorization': 'Bearer ' + key, 'Accept': 'application/json'},
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'
    }).catch(function (e) {
      throw new ApiError(0, 'unreachable', 'Could not reach the API at ' + apiBase() + ' (' + e.message
        + '). On another origin, the API must allow this page by CORS.');
    }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try {
          body = text ? parseJson(text) : null;
        } catch (ignored) {
          body = null;
        }
        if (!response.ok) {
          var error = body && body.error;
          if (error && typeof error.code === 'string') {
            throw new ApiError(response.status, error.code, error.message || '', error.details);
          }
          throw new ApiError(response.status, 'http_' + response.status,
            (body && body.message) || text.slice(0, 200) || response.statusText);
        }
        if (body === null || typeof body !== 'object') {
          throw new ApiError(response.status, 'not_json', 'The API answered something that is not JSON');
        }
        return body;
      });
    });
  }

  // ---- the page -----------------------------------------------------------------------------------

  function element(tag, attributes, text) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      el.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) {
      el.textContent = text;
    }
    return el;
  }

  function setState(state, message) {
    $('main').setAttribute('data-state', state);
    $('status').textContent = message || '';
    $('show').disabled = state === 'loading';
  }

  function showError(e) {
    var box = $('error');
    var status = e.status ? e.status + ' ' : '';
    var field = e.details && e.details.field !== undefined ? ' (field: ' + e.details.field + ')' : '';
    box.setAttribute('data-error-code', e.code);
    box.setAttribute('data-status', String(e.status || 0));
    $('error-message').textContent = status + e.code + ': ' + e.message + field;
    box.hidden = false;
    $('report').hidden = true;
    setState('error', 'Failed: ' + e.code);
  }

  function figureCell(tag, figure, value, kind, currency, extra) {
    var attributes = {'data-figure': figure, 'data-value': String(value)};
    Object.keys(extra || {}).forEach(function (k) { attributes[k] = extra[k]; });
    return element(tag, attributes, format(value, kind, currency));
  }

  function renderTotals(report, currency) {
    var list = $('totals');
    list.replaceChildren();
    TOTALS.forEach(function (t) {
      var value = t.figure === 'outstandingPoints' ? report.outstandingPoints : report.totals[t.figure];
      var box = element('div', {'class': 'figure figure-' + t.kind});
      box.appendChild(element('dt', {id: 'label-' + t.figure}, t.label));
      var dd = figureCell('dd', t.figure, value, t.kind, currency, {'aria-describedby': 'label-' + t.figure});
      if (t.kind === 'points') {
        dd.appendChild(element('span', {'class': 'unit'}, ' points'));
      }
      box.appendChild(dd);
      if (t.note) {
        box.appendChild(element('dd', {'class': 'note'}, t.note));
      }
      list.appendChild(box);
    });
  }

  function renderDays(report, currency) {
    var body = $('days').tBodies[0];
    body.replaceChildren();
    report.days.forEach(function (day) {
      var row = element('tr', {'data-date': day.date});
      row.appendChild(element('th', {scope: 'row'}, day.date));
      DAILY.forEach(function (figure) {
        var kind = figure === 'attributedOrderMinor' ? 'money' : (figure === 'redemptions' ? 'count' : 'points');
        row.appendChild(figureCell('td', figure, day[figure], kind, currency, {'class': 'num'}));
      });
      body.appendChild(row);
    });
  }

  function byDescending(field) {
    return function (a, b) {
      var x = BigInt(a[field]);
      var y = BigInt(b[field]);
      return x === y ? 0 : (x > y ? -1 : 1);
    };
  }

  function nameOf(id, names) {
    return names[id] ? names[id] + ' (' + id + ')' : id;
  }

  function renderTable(tableId, rows, idField, names, columns, currency, empty) {
    var body = $(tableId).tBodies[0];
    body.replaceChildren();
    if (rows.length === 0) {
      var none = element('tr', {'class': 'empty'});
      none.appendChild(element('td', {colspan: String(columns.length + 1)}, empty));
      body.appendChild(none);
      return;
    }
    rows.slice(0, TOP).forEach(function (r) {
      var row = element('tr', {'data-id': r[idField]});
      row.appendChild(element('th', {scope: 'row'}, nameOf(r[idField], names)));
      columns.forEach(function (c) {
        row.appendChild(figureCell('td', c.figure, r[c.figure], c.kind, currency, {'class': 'num'}));
      });
      body.appendChild(row);
    });
    if (rows.length > TOP) {
      var more = element('tr', {'class': 'more'});
      more.appendChild(element('td', {colspan: String(columns.length + 1)}, 'and ' + (rows.length - TOP) + ' more'));
      body.appendChild(more);
    }
  }

  // ---- charts (uPlot) -----------------------------------------------------------------------------

  function chartWidth(el) {
    return Math.max(240, Math.floor(el.getBoundingClientRect().width));
  }

  function drawCharts(report, currency) {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    if (typeof window.uPlot !== 'function') {
      $('chart-points').textContent = 'The chart library did not load; the daily table has the figures.';
      return;
    }
    // x: the day's date at 00:00 UTC, shown in UTC, so the axis reads the report's dates as they are
    var xs = report.days.map(function (d) { return Date.parse(d.date + 'T00:00:00Z') / 1000; });
    var series = function (figure) { return report.days.map(function (d) { return Number(d[figure]); }); };
    var digits = currency ? fractionDigits(currency) : 0;
    var orders = report.days.map(function (d) { return Number(d.attributedOrderMinor) / Math.pow(10, digits); });
    var utc = function (ts) { return window.uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };
    var integers = function (u, ticks) { return ticks.map(function (t) { return integerFormat.format(t); }); };
    var money = currency ? new Intl.NumberFormat(undefined, {style: 'currency', currency: currency, notation: 'compact'}) : integerFormat;
    // the x axis in whole days, labelled with the date
    var dayFormat = new Intl.DateTimeFormat(undefined, {month: 'short', day: 'numeric', timeZone: 'UTC'});
    var day = function (ts) { return ts == null ? '-' : new Date(ts * 1e3).toISOString().slice(0, 10); };
    var dayAxis = {space: 50, incrs: [1, 2, 7, 14, 28, 91].map(function (n) { return n * 86400; }),
      values: function (u, ticks) { return ticks.map(function (t) { return dayFormat.format(new Date(t * 1e3)); }); }};
    var x = {label: 'Day', value: function (u, ts) { return day(ts); }};
    var line = function (label, color, scale, value) {
      return {label: label, stroke: color, width: 2, scale: scale, points: {show: true, size: 5}, value: value};
    };
    var pointsEl = $('chart-points');
    charts.push(new window.uPlot({
      width: chartWidth(pointsEl), height: 240, tzDate: utc,
      scales: {x: {time: true}, pts: {range: function (u, min, max) { return [0, Math.max(1, max)]; }}},
      series: [x, line('Issued', COLORS.issued, 'pts'), line('Redeemed', COLORS.redeemed, 'pts'),
        line('Expired', COLORS.expired, 'pts')],
      axes: [dayAxis, {scale: 'pts', values: integers, size: 60}]
    }, [xs, series('pointsIssued'), series('pointsRedeemed'), series('pointsExpired')], pointsEl));
    var ordersEl = $('chart-orders');
    charts.push(new window.uPlot({
      width: chartWidth(ordersEl), height: 240, tzDate: utc,
      scales: {x: {time: true}, count: {range: function (u, min, max) { return [0, Math.max(1, max)]; }},
        money: {range: function (u, min, max) { return [0, Math.max(1, max)]; }}},
      series: [x, line('Redemptions', COLORS.redemptions, 'count'),
        line('Attributed order value', COLORS.orders, 'money', function (u, v) { return v == null ? '-' : money.format(v); })],
      axes: [dayAxis, {scale: 'count', values: integers, size: 50},
        {scale: 'money', side: 1, grid: {show: false}, size: 70,
          values: function (u, ticks) { return ticks.map(function (t) { return money.format(t); }); }}]
    }, [xs, series('redemptions'), orders], ordersEl));
  }

  function resizeCharts() {
    charts.forEach(function (c) {
      c.setSize({width: chartWidth(c.root.parentNode), height: 240});
    });
  }

  // ---- the form -----------------------------------------------------------------------------------

  function isoDate(d) {
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
  }

  function check(key, program, from, to) {
    if (!key) {
      return new ApiError(0, 'invalid_request', 'Type the admin key', {field: 'admin key'});
    }
    if (!ID_PATTERN.test(program)) {
      return new ApiError(0, 'invalid_request', 'A program id is 1 to 128 of A-Z a-z 0-9 . _ : @ -', {field: 'program id'});
    }
    if (!DATE_PATTERN.test(from) || !DATE_PATTERN.test(to)) {
      return new ApiError(0, 'invalid_request', 'Give both dates', {field: DATE_PATTERN.test(from) ? 'to' : 'from'});
    }
    if (to < from) {
      return new ApiError(0, 'invalid_request', 'The end date is before the start date', {field: 'to'});
    }
    return null;
  }

  function savePrefs(program) {
    try {
      localStorage.setItem(PREFS_STORAGE, JSON.stringify({apiBase: $('api-base').value.trim(), programId: program}));
    } catch (ignored) {
      // storage may be off; the page works without it
    }
  }

  function keepKey(key) {
    try {
      if ($('remember-key').checked) {
        sessionStorage.setItem(KEY_STORAGE, key);
      } else {
        sessionStorage.removeItem(KEY_STORAGE);
      }
    } catch (ignored) {
      // storage may be off
    }
  }

  function show(event) {
    event.preventDefault();
    var key = $('admin-key').value.trim();
    var program = $('program-id').value.trim();
    var from = $('from').value;
    var to = $('to').value;
    var problem = check(key, program, from, to);
    if (problem) {
      showError(problem);
      return;
    }
    keepKey(key);
    savePrefs(program);
    $('error').hidden = true;
    setState('loading', 'Loading the report…');
    var path = '/v1/programs/' + encodeURIComponent(program);
    var query = '?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to);
    Promise.all([get(path, key), get(path + '/reports/summary' + query, key)]).then(function (answers) {
      var definition = answers[0];
      var report = answers[1];
      var currency = typeof definition.currency === 'string' ? definition.currency : null;
      var names = {rules: {}, rewards: {}};
      (definition.earningRules || []).forEach(function (r) { if (r.name) { names.rules[r.id] = r.name; } });
      (definition.rewards || []).forEach(function (r) { if (r.name) { names.rewards[r.id] = r.name; } });
      $('program-line').textContent = (definition.name || program) + ' · ' + program
        + (currency ? ' · ' + currency : '') + (definition.timezone ? ' · ' + definition.timezone : '');
      $('report').hidden = false;
      renderTotals(report, currency);
      renderDays(report, currency);
      renderTable('rules', report.rules.slice().sort(byDescending('points')), 'ruleId', names.rules,
        [{figure: 'points', kind: 'points'}, {figure: 'events', kind: 'count'}], currency, 'No points issued in these dates');
      renderTable('rewards', report.rewards.slice().sort(byDescending('redemptions')), 'rewardId', names.rewards,
        [{figure: 'redemptions', kind: 'count'}, {figure: 'discountMinor', kind: 'money'},
          {figure: 'orderMinor', kind: 'money'}], currency, 'No redemptions in these dates');
      drawCharts(report, currency);
      $('main').setAttribute('data-as-of', report.asOf);
      setState('ready', 'Report from ' + report.from + ' to ' + report.to + ', counted up to ' + report.asOf + '.');
    }).catch(function (e) {
      showError(e instanceof ApiError ? e : new ApiError(0, 'page_error', String(e && e.message || e)));
    });
  }

  function start() {
    var meta = document.querySelector('meta[name="laurel-api-base"]');
    var prefs = {};
    try {
      prefs = JSON.parse(localStorage.getItem(PREFS_STORAGE) || '{}') || {};
      var kept = sessionStorage.getItem(KEY_STORAGE);
      if (kept) {
        $('admin-key').value = kept;
        $('remember-key').checked = true;
      }
    } catch (ignored) {
      prefs = {};
    }
    $('api-base').value = prefs.apiBase || (meta && meta.content) || '';
    $('api-base').placeholder = window.location.origin.indexOf('http') === 0 ? window.location.origin : 'https://api.example.com';
    $('program-id').value = prefs.programId || '';
    var today = new Date();
    var monthAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29);
    $('from').value = isoDate(monthAgo);
    $('to').value = isoDate(today);
    $('remember-key').addEventListener('change', function () {
      if (!$('remember-key').checked) {
        try { sessionStorage.removeItem(KEY_STORAGE); } catch (ignored) { /* storage off */ }
      }
    });
    $('query').addEventListener('submit', show);
    var pending = null;
    window.addEventListener('resize', function () {
      clearTimeout(pending);
      pending = setTimeout(resizeCharts, 100);
    });
    setState('idle', '');
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
