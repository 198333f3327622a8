// The demo shop's till: looks a reward code up and uses it through the shop's backend (/demo/codes/...),
// showing the API's answer, refusals included (a second use: 409 already_used).
(function () {
  'use strict';

  var till = document.getElementById('till');
  var found = document.getElementById('found');
  var result = document.getElementById('till-result');
  var errorBox = document.getElementById('till-error');
  var current = null;

  var STATUS = {issued: 'Valid: not used yet', used: 'Already used', rolled_back: 'Cancelled (rolled back)', expired: 'Expired'};
  var REFUSALS = {
    already_used: 'Refused: this code was already used.',
    already_rolled_back: 'Refused: this redemption was cancelled.',
    not_eligible: 'Refused: this code has expired.',
    not_found: 'No such code.',
    invalid_request: 'That is not a reward code.'
  };

  function money(minor, currency) {
    var format = new Intl.NumberFormat(undefined, {style: 'currency', currency: currency});
    var digits = format.resolvedOptions().maximumFractionDigits;
    return format.format(digits ? minor / Math.pow(10, digits) : minor);
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '—';
  }

  function call(method, url, body) {
    return fetch(url, {method: method, headers: body ? {'Content-Type': 'application/json'} : {},
      body: body ? JSON.stringify(body) : undefined}).then(function (r) {
      return r.json().catch(function () {
        return {};
      }).then(function (j) {
        if (!r.ok) {
          var e = j.error || {code: 'http_' + r.status, message: j.message || ''};
          throw {status: r.status, code: e.code, message: e.message};
        }
        return j;
      });
    });
  }

  function showError(e) {
    errorBox.hidden = false;
    errorBox.setAttribute('data-error-code', e.code || '');
    errorBox.setAttribute('data-status', String(e.status || 0));
    errorBox.textContent = (REFUSALS[e.code] || 'The API refused it.') + ' (' + (e.status || 'network') + ' ' + (e.code || '') + ': '
        + (e.message || '') + ')';
    till.setAttribute('data-state', 'refused');
    errorBox.focus();
  }

  function clearMessages() {
    errorBox.hidden = true;
    errorBox.textContent = '';
    result.textContent = '';
  }

  function show(answer) {
    var c = answer.code;
    current = {code: c.code, program: document.getElementById('till-program').value};
    document.getElementById('found-code').textContent = c.code;
    var status = document.getElementById('found-status');
    status.textContent = STATUS[c.status] || c.status;
    status.setAttribute('data-status', c.status);
    var reward = answer.reward;
    document.getElementById('found-reward').textContent = reward ? reward.name + ' (' + reward.id + ')' : c.rewardId;
    var value = reward && reward.valueMinor ? reward.valueMinor : c.discountMinor;
    document.getElementById('found-value').textContent = value ? money(value, answer.currency) : '—';
    document.getElementById('found-customer').textContent = c.customerId;
    document.getElementById('found-issued').textContent = when(c.issuedAt);
    document.getElementById('found-expires').textContent = when(c.expiresAt);
    found.hidden = false;
  }

  document.getElementById('lookup').addEventListener('submit', function (event) {
    event.preventDefault();
    clearMessages();
    var code = document.getElementById('code').value.trim();
    if (!code) {
      showError({status: 0, code: 'invalid_request', message: 'type a code'});
      return;
    }
    till.setAttribute('data-state', 'looking-up');
    var program = document.getElementById('till-program').value;
    call('GET', '/demo/codes/' + encodeURIComponent(code) + '?program=' + encodeURIComponent(program)).then(function (answer) {
      show(answer);
      till.setAttribute('data-state', 'found');
      document.getElementById('found-heading').focus();
    }, function (e) {
      found.hidden = true;
      showError(e);
    });
  });

  document.getElementById('use').addEventListener('click', function () {
    if (!current) {
      return;
    }
    clearMessages();
    till.setAttribute('data-state', 'using');
    call('POST', '/demo/codes/' + encodeURIComponent(current.code) + '/use', {program: current.program}).then(function (c) {
      show({code: c, currency: null, reward: null});
      result.textContent = 'Accepted: code ' + c.code + ' used for order ' + c.orderId + '.';
      till.setAttribute('data-state', 'used');
      // the lookup again, for the reward's name and value
      return call('GET', '/demo/codes/' + encodeURIComponent(c.code) + '?program=' + encodeURIComponent(current.program)).then(show);
    }, showError);
  });
})();
