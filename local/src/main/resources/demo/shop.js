// The demo shop's product page: asks its backend (POST /demo/session) for the signed-in member's
// session and gives the token to <laurel-wallet>. The page never holds an API key.
(function () {
  'use strict';

  var PRODUCTS = {
    'demo-shop': {name: 'Laurel mug', text: 'Stoneware, 350 ml. Every 1.00 you spend earns a point.', priceMinor: 2490,
      currency: 'EUR', lang: 'en'},
    'demo-shop-jp': {name: 'ローレル マグカップ', text: '陶器製、350ml。100円ごとに1ポイント。', priceMinor: 2480,
      currency: 'JPY', lang: 'ja'}
  };

  var params = new URLSearchParams(location.search);
  var program = PRODUCTS[params.get('program')] ? params.get('program') : 'demo-shop';
  var customer = params.get('customer') || '';
  var main = document.getElementById('main');
  var wallet = document.getElementById('wallet');
  var note = document.getElementById('session-note');
  var renew = document.getElementById('renew');

  function money(minor, currency, lang) {
    var format = new Intl.NumberFormat(lang, {style: 'currency', currency: currency});
    var digits = format.resolvedOptions().maximumFractionDigits;
    return format.format(digits ? minor / Math.pow(10, digits) : minor);
  }

  function showProduct() {
    var p = PRODUCTS[program];
    document.getElementById('product-name').textContent = p.name;
    document.getElementById('product-text').textContent = p.text;
    document.getElementById('product-price').textContent = money(p.priceMinor, p.currency, p.lang);
    document.querySelector('.product').setAttribute('lang', p.lang);
    document.getElementById('program').value = program;
    document.getElementById('customer').value = customer;
  }

  function signIn() {
    main.setAttribute('data-state', 'signing-in');
    var body = {program: program};
    if (customer) {
      body.customerId = customer;
    }
    return fetch('/demo/session', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)})
        .then(function (r) {
          return r.json().then(function (j) {
            if (!r.ok) {
              throw new Error((j.error && j.error.message) || ('HTTP ' + r.status));
            }
            return j;
          });
        })
        .then(function (s) {
          customer = s.customerId;
          document.getElementById('customer').value = customer;
          renew.hidden = true;
          note.textContent = 'Signed in as ' + s.customerId + ' (session until ' + new Date(s.expiresAt).toLocaleTimeString() + ')';
          wallet.setAttribute('api', s.api);
          wallet.setAttribute('program', s.program);
          wallet.setAttribute('currency', s.currency);
          if (params.get('locale')) {
            wallet.setAttribute('locale', params.get('locale'));
          }
          wallet.setAttribute('token', s.token);
          main.setAttribute('data-state', 'signed-in');
        })
        .catch(function (e) {
          note.textContent = 'Could not sign in: ' + e.message;
          main.setAttribute('data-state', 'error');
        });
  }

  // The host page's part of an expired session: offer a new one (a real shop would mint it silently).
  wallet.addEventListener('laurel-wallet:session-expired', function () {
    renew.hidden = false;
    main.setAttribute('data-state', 'expired');
  });
  document.getElementById('renew-button').addEventListener('click', function () {
    signIn().then(function () {
      wallet.focus();
    });
  });

  showProduct();
  signIn();
})();
