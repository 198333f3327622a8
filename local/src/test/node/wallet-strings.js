// Loads widget/laurel-wallet.js as a browser would (with just enough of a window to define the
// element) and checks its strings: every key of every language in all four, none empty, the same
// {placeholders} as English, and every key the code asks for by name present.
// Usage: node wallet-strings.js <path/to/laurel-wallet.js>; exit 0 and "ok ..." when all hold.
'use strict';
const fs = require('fs');
const vm = require('vm');

const file = process.argv[2];
const source = fs.readFileSync(file, 'utf8');
const defined = {};
const window = {customElements: {get: (n) => defined[n], define: (n, c) => { defined[n] = c; }}};
const context = vm.createContext({window, HTMLElement: class {}, Intl, console});
vm.runInContext(source, context, {filename: file});
const W = window.LaurelWallet;
const problems = [];
if (!W || defined['laurel-wallet'] !== W) {
  problems.push('the file does not define <laurel-wallet>');
}
const strings = W ? W.STRINGS : {};
const languages = ['en', 'de', 'tr', 'ja'];
if (JSON.stringify(W && W.LANGUAGES) !== JSON.stringify(languages)) {
  problems.push('LANGUAGES is ' + JSON.stringify(W && W.LANGUAGES) + ', not ' + JSON.stringify(languages));
}
const placeholders = (s) => (String(s).match(/\{\w+\}/g) || []).sort().join(',');
const en = strings.en || {};
for (const lang of languages) {
  const table = strings[lang];
  if (!table) {
    problems.push(lang + ': no strings');
    continue;
  }
  for (const key of Object.keys(en)) {
    if (!(key in table)) {
      problems.push(lang + ': missing ' + key);
    } else if (typeof table[key] !== 'string' || table[key].trim() === '') {
      problems.push(lang + ': empty ' + key);
    } else if (placeholders(table[key]) !== placeholders(en[key])) {
      problems.push(lang + ': ' + key + ' has {' + placeholders(table[key]) + '}, English has {' + placeholders(en[key]) + '}');
    }
  }
  for (const key of Object.keys(table)) {
    if (!(key in en)) {
      problems.push(lang + ': ' + key + ' is not an English key');
    }
  }
  if (lang !== 'en') {
    // a copied English sentence is a missing translation too (short words may be the same: allowed below)
    for (const key of Object.keys(en)) {
      if (table[key] === en[key] && en[key].replace(/\{\w+\}/g, '').trim().length > 3) {
        problems.push(lang + ': ' + key + ' is the English text');
      }
    }
  }
}
// every key the code names: t('key'), and the prefixed families it builds (err_, reason_, type_)
const named = new Set();
for (const m of source.matchAll(/\bt\('([A-Za-z_]+)'(?!\s*\+)/g)) {
  named.add(m[1]);
}
for (const m of source.matchAll(/code: '([a-z_]+)'/g)) {
  named.add('err_' + m[1]);
}
for (const m of source.matchAll(/e\.code = '([a-z_]+)'/g)) {
  named.add('err_' + m[1]);
}
for (const code of ['unauthorized', 'forbidden', 'not_found', 'insufficient_points', 'budget_exhausted', 'limit_reached',
  'not_eligible', 'rate_limited', 'unavailable', 'invalid_request', 'network']) {
  named.add('err_' + code); // API.md's error codes a member's calls can meet
}
for (const reason of ['tier', 'segment', 'disabled', 'outside_window', 'limit_reached', 'min_order', 'stacking']) {
  named.add('reason_' + reason); // API.md's not_eligible reasons a wallet can list
}
for (const type of ['earn', 'redeem', 'rollback', 'expire', 'refund', 'adjust', 'import', 'import_revert', 'referral',
  'donation', 'code_expired']) {
  named.add('type_' + type); // API.md's ledger entry types
}
named.add('points_one');
named.add('points_other');
for (const key of named) {
  if (!(key in en)) {
    problems.push('the code uses ' + key + ', which has no English text');
  }
}
if (problems.length) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log('ok ' + Object.keys(en).length + ' keys in ' + languages.join(', ') + '; ' + named.size + ' named by the code');
