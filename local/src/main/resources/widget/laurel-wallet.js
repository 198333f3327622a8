/*
 * <laurel-wallet api="https://api.example.com" program="acme" token="v1...." [locale="de"] [currency="EUR"]>
 *
 * A member's loyalty wallet as one dependency-free custom element (shadow DOM, no build step).
 * It calls Laurel's API with the member's session token only (Authorization: Bearer <token>, from
 * POST /v1/programs/{programId}/customers/{customerId}/sessions made by the shop's backend): never
 * an API key. One render costs two calls (the wallet and its last ledger entries, in parallel); a
 * redemption adds the redeem, its QR code and the two again.
 *
 * Strings in en, de, tr, ja: the member's `locale` from the wallet answer, unless the `locale`
 * attribute says otherwise. Money and dates go through Intl in that language; money in the
 * program's currency (the wallet's `currency` when the API gives it, else the `currency` attribute).
 *
 * Events (bubbling, composed): `laurel-wallet:ready` (each render with data; detail: the wallet),
 * `laurel-wallet:redeemed` (detail: the redemption), `laurel-wallet:session-expired` (the API
 * answered 401: give the element a new `token` attribute and it renders again).
 */
(function () {
  'use strict';

  var LANGUAGES = ['en', 'de', 'tr', 'ja'];

  // Every key in every language (tests/.../WalletStringsTest checks it).
  var STRINGS = {
    en: {
      title: 'Your rewards',
      loading: 'Loading your rewards…',
      balance: 'Available points',
      points_one: '{n} point',
      points_other: '{n} points',
      pending: 'Pending',
      pendingLine: '{points} available on {date}',
      tier: 'Tier',
      tierNext: '{points} to {tier}',
      tierProgress: 'Progress to {tier}',
      tierTop: 'You are in the top tier',
      noTier: 'No tier yet',
      expiring: 'Points expiring',
      expiringLine: '{points} expire on {date}',
      noExpiring: 'No points are about to expire.',
      rewards: 'Rewards',
      noRewards: 'No rewards in this program yet.',
      cost: 'Costs {points}',
      redeem: 'Redeem',
      redeemLabel: 'Redeem {reward} for {points}',
      redeeming: 'Redeeming…',
      needMore: '{points} more needed',
      atCheckout: 'Apply it at checkout',
      notAvailable: 'Not available: {reasons}',
      reason_tier: 'for another tier',
      reason_segment: 'not for your group',
      reason_disabled: 'paused',
      reason_outside_window: 'not on offer now',
      reason_limit_reached: 'limit reached',
      reason_min_order: 'minimum order',
      reason_stacking: 'does not combine',
      reason_other: 'not available',
      result: 'Your reward code',
      resultText: '{reward} redeemed. Your code is {code}.',
      codeHint: 'Show this code at the till or type it in at checkout.',
      codeValue: 'Worth {value}',
      qrLabel: 'QR code of {code}',
      qrMissing: 'The QR code could not be loaded; the code above works on its own.',
      ledger: 'Recent activity',
      noLedger: 'No activity yet.',
      type_earn: 'Earned',
      type_redeem: 'Redeemed',
      type_rollback: 'Given back',
      type_expire: 'Expired',
      type_refund: 'Refund',
      type_adjust: 'Adjustment',
      type_import: 'Imported',
      type_import_revert: 'Import reverted',
      type_referral: 'Referral',
      type_donation: 'Donation',
      type_code_expired: 'Code expired, points back',
      referral: 'Invite friends',
      referralCode: 'Your referral code',
      referralStats: 'Friends who joined: {count} · points earned: {points}',
      err_unauthorized: 'Your session has expired. Please reload the page to see your rewards.',
      err_forbidden: 'Your session does not allow this.',
      err_not_found: 'This was not found.',
      err_insufficient_points: 'You do not have enough points for this reward.',
      err_budget_exhausted: 'This reward is no longer available.',
      err_limit_reached: 'You have reached the limit for this reward.',
      err_not_eligible: 'This reward is not available to you.',
      err_rate_limited: 'Too many requests. Please try again in a moment.',
      err_unavailable: 'The service is unavailable right now. Please try again later.',
      err_invalid_request: 'The request was not accepted.',
      err_order_required: 'This reward is applied to an order at checkout.',
      err_network: 'No connection. Please check your network and try again.',
      err_setup: 'The wallet is missing its api, program or token attribute.',
      err_other: 'Something went wrong ({code}).',
      retry: 'Try again'
    },
    de: {
      title: 'Deine Prämien',
      loading: 'Deine Prämien werden geladen…',
      balance: 'Verfügbare Punkte',
      points_one: '{n} Punkt',
      points_other: '{n} Punkte',
      pending: 'Vorgemerkt',
      pendingLine: '{points} verfügbar ab {date}',
      tier: 'Stufe',
      tierNext: 'Noch {points} bis {tier}',
      tierProgress: 'Fortschritt bis {tier}',
      tierTop: 'Du bist in der höchsten Stufe',
      noTier: 'Noch keine Stufe',
      expiring: 'Verfallende Punkte',
      expiringLine: '{points} verfallen am {date}',
      noExpiring: 'Keine Punkte verfallen demnächst.',
      rewards: 'Prämien',
      noRewards: 'Dieses Programm hat noch keine Prämien.',
      cost: 'Kostet {points}',
      redeem: 'Einlösen',
      redeemLabel: '{reward} für {points} einlösen',
      redeeming: 'Wird eingelöst…',
      needMore: 'Noch {points} nötig',
      atCheckout: 'Beim Bezahlen einlösbar',
      notAvailable: 'Nicht verfügbar: {reasons}',
      reason_tier: 'für eine andere Stufe',
      reason_segment: 'nicht für deine Gruppe',
      reason_disabled: 'pausiert',
      reason_outside_window: 'derzeit nicht im Angebot',
      reason_limit_reached: 'Limit erreicht',
      reason_min_order: 'Mindestbestellwert',
      reason_stacking: 'nicht kombinierbar',
      reason_other: 'nicht verfügbar',
      result: 'Dein Prämiencode',
      resultText: '{reward} eingelöst. Dein Code ist {code}.',
      codeHint: 'Zeige diesen Code an der Kasse oder gib ihn beim Bezahlen ein.',
      codeValue: 'Wert: {value}',
      qrLabel: 'QR-Code von {code}',
      qrMissing: 'Der QR-Code konnte nicht geladen werden; der Code oben gilt auch allein.',
      ledger: 'Letzte Aktivitäten',
      noLedger: 'Noch keine Aktivitäten.',
      type_earn: 'Gesammelt',
      type_redeem: 'Eingelöst',
      type_rollback: 'Zurückerstattet',
      type_expire: 'Verfallen',
      type_refund: 'Rückerstattung',
      type_adjust: 'Korrektur',
      type_import: 'Übernommen',
      type_import_revert: 'Übernahme zurückgenommen',
      type_referral: 'Empfehlung',
      type_donation: 'Spende',
      type_code_expired: 'Code abgelaufen, Punkte zurück',
      referral: 'Freunde einladen',
      referralCode: 'Dein Empfehlungscode',
      referralStats: 'Beigetretene Freunde: {count} · gesammelte Punkte: {points}',
      err_unauthorized: 'Deine Sitzung ist abgelaufen. Bitte lade die Seite neu, um deine Prämien zu sehen.',
      err_forbidden: 'Deine Sitzung erlaubt das nicht.',
      err_not_found: 'Das wurde nicht gefunden.',
      err_insufficient_points: 'Du hast nicht genug Punkte für diese Prämie.',
      err_budget_exhausted: 'Diese Prämie ist nicht mehr verfügbar.',
      err_limit_reached: 'Du hast das Limit für diese Prämie erreicht.',
      err_not_eligible: 'Diese Prämie ist für dich nicht verfügbar.',
      err_rate_limited: 'Zu viele Anfragen. Bitte versuche es gleich noch einmal.',
      err_unavailable: 'Der Dienst ist gerade nicht erreichbar. Bitte versuche es später noch einmal.',
      err_invalid_request: 'Die Anfrage wurde nicht angenommen.',
      err_order_required: 'Diese Prämie wird beim Bezahlen auf eine Bestellung angerechnet.',
      err_network: 'Keine Verbindung. Bitte prüfe dein Netzwerk und versuche es noch einmal.',
      err_setup: 'Dem Wallet fehlt das Attribut api, program oder token.',
      err_other: 'Etwas ist schiefgegangen ({code}).',
      retry: 'Noch einmal versuchen'
    },
    tr: {
      title: 'Ödülleriniz',
      loading: 'Ödülleriniz yükleniyor…',
      balance: 'Kullanılabilir puan',
      points_one: '{n} puan',
      points_other: '{n} puan',
      pending: 'Beklemede',
      pendingLine: '{points}, {date} tarihinde kullanılabilir',
      tier: 'Seviye',
      tierNext: '{tier} seviyesine {points} kaldı',
      tierProgress: '{tier} seviyesine ilerleme',
      tierTop: 'En üst seviyedesiniz',
      noTier: 'Henüz seviye yok',
      expiring: 'Süresi dolacak puanlar',
      expiringLine: '{points}, {date} tarihinde sona eriyor',
      noExpiring: 'Yakında süresi dolacak puan yok.',
      rewards: 'Ödüller',
      noRewards: 'Bu programda henüz ödül yok.',
      cost: 'Bedeli {points}',
      redeem: 'Kullan',
      redeemLabel: '{reward} ödülünü {points} karşılığında kullan',
      redeeming: 'Kullanılıyor…',
      needMore: '{points} daha gerekli',
      atCheckout: 'Ödeme sırasında uygulanır',
      notAvailable: 'Kullanılamaz: {reasons}',
      reason_tier: 'başka bir seviye için',
      reason_segment: 'grubunuz için değil',
      reason_disabled: 'duraklatıldı',
      reason_outside_window: 'şu anda sunulmuyor',
      reason_limit_reached: 'sınıra ulaşıldı',
      reason_min_order: 'en az sipariş tutarı',
      reason_stacking: 'birleştirilemez',
      reason_other: 'kullanılamaz',
      result: 'Ödül kodunuz',
      resultText: '{reward} kullanıldı. Kodunuz: {code}.',
      codeHint: 'Bu kodu kasada gösterin veya ödeme sırasında girin.',
      codeValue: 'Değeri: {value}',
      qrLabel: '{code} için QR kodu',
      qrMissing: 'QR kodu yüklenemedi; yukarıdaki kod tek başına da geçerlidir.',
      ledger: 'Son hareketler',
      noLedger: 'Henüz hareket yok.',
      type_earn: 'Kazanıldı',
      type_redeem: 'Kullanıldı',
      type_rollback: 'İade edildi',
      type_expire: 'Süresi doldu',
      type_refund: 'Geri ödeme',
      type_adjust: 'Düzeltme',
      type_import: 'Aktarıldı',
      type_import_revert: 'Aktarım geri alındı',
      type_referral: 'Tavsiye',
      type_donation: 'Bağış',
      type_code_expired: 'Kodun süresi doldu, puanlar iade edildi',
      referral: 'Arkadaşlarınızı davet edin',
      referralCode: 'Tavsiye kodunuz',
      referralStats: 'Katılan arkadaşlar: {count} · kazanılan puan: {points}',
      err_unauthorized: 'Oturumunuzun süresi doldu. Ödüllerinizi görmek için lütfen sayfayı yenileyin.',
      err_forbidden: 'Oturumunuz buna izin vermiyor.',
      err_not_found: 'Bulunamadı.',
      err_insufficient_points: 'Bu ödül için yeterli puanınız yok.',
      err_budget_exhausted: 'Bu ödül artık mevcut değil.',
      err_limit_reached: 'Bu ödül için sınıra ulaştınız.',
      err_not_eligible: 'Bu ödül sizin için geçerli değil.',
      err_rate_limited: 'Çok fazla istek. Lütfen biraz sonra tekrar deneyin.',
      err_unavailable: 'Hizmete şu anda ulaşılamıyor. Lütfen daha sonra tekrar deneyin.',
      err_invalid_request: 'İstek kabul edilmedi.',
      err_order_required: 'Bu ödül ödeme sırasında bir siparişe uygulanır.',
      err_network: 'Bağlantı yok. Lütfen ağınızı kontrol edip tekrar deneyin.',
      err_setup: 'Cüzdanda api, program veya token özniteliği eksik.',
      err_other: 'Bir şeyler ters gitti ({code}).',
      retry: 'Tekrar dene'
    },
    ja: {
      title: 'あなたの特典',
      loading: '特典を読み込んでいます…',
      balance: '利用可能ポイント',
      points_one: '{n}ポイント',
      points_other: '{n}ポイント',
      pending: '保留中',
      pendingLine: '{points}は{date}から利用可能',
      tier: 'ランク',
      tierNext: '{tier}まであと{points}',
      tierProgress: '{tier}までの進捗',
      tierTop: '最上位ランクです',
      noTier: 'ランクはまだありません',
      expiring: '有効期限が近いポイント',
      expiringLine: '{points}は{date}に失効します',
      noExpiring: 'まもなく失効するポイントはありません。',
      rewards: '特典',
      noRewards: 'このプログラムにはまだ特典がありません。',
      cost: '{points}',
      redeem: '交換する',
      redeemLabel: '{points}で{reward}と交換する',
      redeeming: '交換しています…',
      needMore: 'あと{points}必要です',
      atCheckout: 'お会計時に適用できます',
      notAvailable: 'ご利用いただけません：{reasons}',
      reason_tier: '別のランク向け',
      reason_segment: '対象外のグループ',
      reason_disabled: '一時停止中',
      reason_outside_window: '現在は提供期間外',
      reason_limit_reached: '上限に達しました',
      reason_min_order: '最低注文金額',
      reason_stacking: '併用できません',
      reason_other: 'ご利用いただけません',
      result: 'あなたの特典コード',
      resultText: '{reward}と交換しました。コードは{code}です。',
      codeHint: 'このコードをレジで提示するか、お会計時に入力してください。',
      codeValue: '{value}相当',
      qrLabel: '{code}のQRコード',
      qrMissing: 'QRコードを読み込めませんでした。上のコードだけでもご利用いただけます。',
      ledger: '最近の履歴',
      noLedger: '履歴はまだありません。',
      type_earn: '獲得',
      type_redeem: '交換',
      type_rollback: '返還',
      type_expire: '失効',
      type_refund: '返金',
      type_adjust: '調整',
      type_import: '移行',
      type_import_revert: '移行の取り消し',
      type_referral: '紹介',
      type_donation: '寄付',
      type_code_expired: 'コード期限切れ・ポイント返還',
      referral: '友だちを招待',
      referralCode: 'あなたの紹介コード',
      referralStats: '参加した友だち：{count}人・獲得ポイント：{points}',
      err_unauthorized: 'セッションの有効期限が切れました。特典を表示するにはページを再読み込みしてください。',
      err_forbidden: 'このセッションでは許可されていません。',
      err_not_found: '見つかりませんでした。',
      err_insufficient_points: 'この特典に必要なポイントが足りません。',
      err_budget_exhausted: 'この特典は終了しました。',
      err_limit_reached: 'この特典の交換上限に達しました。',
      err_not_eligible: 'この特典はご利用いただけません。',
      err_rate_limited: 'リクエストが多すぎます。しばらくしてからもう一度お試しください。',
      err_unavailable: '現在サービスをご利用いただけません。しばらくしてからもう一度お試しください。',
      err_invalid_request: 'リクエストを受け付けられませんでした。',
      err_order_required: 'この特典はお会計時にご注文に適用されます。',
      err_network: '接続できません。ネットワークを確認してもう一度お試しください。',
      err_setup: 'ウォレットに api、program、token 属性がありません。',
      err_other: '問題が発生しました（{code}）。',
      retry: 'もう一度試す'
    }
  };

  // Discounts and free shipping apply to an order: redeemed at checkout, not from the wallet.
  var NEEDS_ORDER = {discount_amount: true, discount_percent: true, free_shipping: true};
  var LEDGER_ENTRIES = 5;
  var SVG_NS = 'http://www.w3.org/2000/svg';
  // The QR code's SVG is rebuilt from these elements and attributes only: nothing else of the answer reaches the page.
  var SVG_ALLOWED = {
    svg: ['viewBox', 'width', 'height', 'stroke', 'shape-rendering', 'version'],
    rect: ['x', 'y', 'width', 'height', 'fill'],
    path: ['d', 'fill']
  };

  var CSS = [
    ':host{display:block;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans JP",sans-serif;color:#1d2330;',
    '--lw-accent:#1f5fbf;--lw-soft:#eef3fb;--lw-border:#d5dbe6;max-width:34rem;box-sizing:border-box}',
    '*,*::before,*::after{box-sizing:inherit}',
    '.wallet{border:1px solid var(--lw-border);border-radius:12px;padding:1rem;background:#fff;overflow-wrap:anywhere}',
    'h2{font-size:1.25rem;margin:0 0 .75rem}h3{font-size:1rem;margin:1.1rem 0 .4rem}',
    '.balance{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline}',
    '.big{font-size:2.2rem;font-weight:700;line-height:1.1}',
    '.muted{color:#4a5466;font-size:.9rem}',
    'ul{list-style:none;margin:0;padding:0}',
    'li{padding:.45rem 0;border-top:1px solid var(--lw-border)}li:first-child{border-top:0}',
    '.reward{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.4rem}',
    '.reward-name{font-weight:600}',
    'button{font:inherit;min-height:44px;padding:.4rem 1rem;border-radius:8px;border:1px solid var(--lw-accent);',
    'background:var(--lw-accent);color:#fff;cursor:pointer}',
    'button.secondary{background:#fff;color:var(--lw-accent)}',
    'button:disabled{opacity:.6;cursor:progress}',
    'button:focus-visible,[tabindex="-1"]:focus-visible{outline:3px solid #f0a000;outline-offset:2px}',
    'progress{width:100%;height:.7rem;accent-color:var(--lw-accent)}',
    '.result{background:var(--lw-soft);border-radius:10px;padding:.8rem;margin:.8rem 0}',
    '.code{font:700 1.3rem/1.3 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;letter-spacing:.04em;user-select:all}',
    '.qr svg{display:block;width:180px;max-width:100%;height:auto;margin-top:.5rem;background:#fff}',
    '.error{border:1px solid #b3261e;background:#fdecea;color:#6b1510;border-radius:8px;padding:.6rem .8rem;margin:.6rem 0}',
    '.row{display:flex;justify-content:space-between;gap:.5rem}.row>:last-child{white-space:nowrap;flex-shrink:0}',
    '.plus{color:#176b2c}.minus{color:#8a1c1c}',
    '.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}'
  ].join('');

  function language(tag) {
    var t = String(tag || '').toLowerCase().split(/[-_]/)[0];
    return LANGUAGES.indexOf(t) >= 0 ? t : null;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m;
    });
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

  // The member id of a v1 session token (v1.<kid>.<base64url "tenant|program|customer|exp">.<signature>).
  function tokenCustomer(token) {
    var parts = String(token || '').split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') {
      return null;
    }
    try {
      var b64 = parts[2].replace(/-/g, '+').replace(/_/g, '/');
      while (b64.length % 4) {
        b64 += '=';
      }
      var bytes = atob(b64);
      var text = decodeURIComponent(Array.prototype.map.call(bytes, function (c) {
        return '%' + ('0' + c.charCodeAt(0).toString(16)).slice(-2);
      }).join(''));
      var fields = text.split('|');
      return fields.length === 4 ? fields[2] : null;
    } catch (e) {
      return null;
    }
  }

  function idempotencyKey() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return 'wallet-' + window.crypto.randomUUID();
    }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    return 'wallet-' + Array.prototype.map.call(b, function (x) {
      return ('0' + x.toString(16)).slice(-2);
    }).join('');
  }

  // An element with attributes and children; text is always a text node (no HTML is ever parsed).
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) {
        return;
      }
      if (k === 'text') {
        el.textContent = v;
      } else if (k.slice(0, 2) === 'on') {
        el.addEventListener(k.slice(2), v);
      } else if (k === 'value' && tag === 'progress') {
        el.value = v;
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) {
        el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
      }
    });
    return el;
  }

  // The QR code's SVG text, parsed as SVG (never as HTML) and rebuilt from the allowed elements and attributes.
  function safeSvg(text) {
    var doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    var root = doc.documentElement;
    if (!root || root.namespaceURI !== SVG_NS || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) {
      return null;
    }
    function copy(node) {
      var allowed = SVG_ALLOWED[node.localName];
      if (node.namespaceURI !== SVG_NS || !allowed) {
        return null;
      }
      var out = document.createElementNS(SVG_NS, node.localName);
      allowed.forEach(function (a) {
        var v = node.getAttribute(a);
        if (v !== null && !/[<>]|url\s*\(|javascript:/i.test(v)) {
          out.setAttribute(a, v);
        }
      });
      Array.prototype.forEach.call(node.children, function (child) {
        var c = copy(child);
        if (c) {
          out.appendChild(c);
        }
      });
      return out;
    }
    return copy(root);
  }

  class LaurelWallet extends HTMLElement {
    static get observedAttributes() {
      return ['api', 'program', 'token', 'locale', 'currency', 'customer'];
    }

    constructor() {
      super();
      this._root = this.attachShadow({mode: 'open'});
      if ('adoptedStyleSheets' in this._root && typeof CSSStyleSheet === 'function' && CSSStyleSheet.prototype.replaceSync) {
        // a constructed sheet: no inline <style>, so a page's strict Content-Security-Policy needs no 'unsafe-inline'
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        this._root.adoptedStyleSheets = [sheet];
        this._inlineStyle = null;
      } else {
        this._inlineStyle = CSS;
      }
      this._wallet = null;
      this._ledger = null;
      this._error = null;
      this._result = null;
      this._busy = null;
      this._keys = {};
      this._generation = 0;
      this._queued = false;
      this._firstShown = false;
      // the live region stays in place across renders, so assistive technology announces what changes in it
      this._live = h('div', {role: 'status', 'aria-live': 'polite', 'class': 'sr-only', part: 'status'});
      this._body = h('div', {});
      if (this._inlineStyle) {
        this._root.appendChild(h('style', {text: this._inlineStyle}));
      }
      this._root.appendChild(this._live);
      this._root.appendChild(this._body);
    }

    _announce(text) {
      if (this._live.textContent !== text) {
        this._live.textContent = text;
      }
    }

    connectedCallback() {
      this._queue();
    }

    attributeChangedCallback(name, before, after) {
      if (before === after || !this.isConnected) {
        return;
      }
      if (name === 'token' || name === 'api' || name === 'program' || name === 'customer') {
        this._queue();
      } else {
        this._render();
      }
    }

    // Several attributes set at once give one load.
    _queue() {
      if (this._queued) {
        return;
      }
      this._queued = true;
      var self = this;
      Promise.resolve().then(function () {
        self._queued = false;
        self.refresh();
      });
    }

    // ---- language, numbers and dates ----------------------------------------------------------

    _lang() {
      return language(this.getAttribute('locale')) || language(this._wallet && this._wallet.locale) || 'en';
    }

    t(key, values) {
      var table = STRINGS[this._lang()];
      var s = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : STRINGS.en[key];
      return fill(s === undefined ? key : s, values || {});
    }

    points(n) {
      var rule = new Intl.PluralRules(this._lang()).select(Number(n)) === 'one' ? 'points_one' : 'points_other';
      return this.t(rule, {n: new Intl.NumberFormat(this._lang()).format(n)});
    }

    get currency() {
      var c = (this._wallet && this._wallet.currency) || this.getAttribute('currency');
      return c && /^[A-Za-z]{3}$/.test(c) ? c.toUpperCase() : null;
    }

    money(minor) {
      var currency = this.currency;
      if (!currency) {
        return null;
      }
      var digits = new Intl.NumberFormat('en', {style: 'currency', currency: currency}).resolvedOptions().maximumFractionDigits;
      return new Intl.NumberFormat(this._lang(), {style: 'currency', currency: currency}).format(decimal(minor, digits));
    }

    // A calendar day (YYYY-MM-DD, in the program's time zone) as the member's language writes it.
    day(isoDate) {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate || '');
      if (!m) {
        return String(isoDate);
      }
      var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      return new Intl.DateTimeFormat(this._lang(), {dateStyle: 'medium', timeZone: 'UTC'}).format(d);
    }

    instant(iso) {
      var d = new Date(iso);
      return isNaN(d.getTime()) ? String(iso) : new Intl.DateTimeFormat(this._lang(), {dateStyle: 'medium'}).format(d);
    }

    // ---- the API --------------------------------------------------------------------------------

    _base() {
      var api = (this.getAttribute('api') || '').replace(/\/+$/, '');
      return api + '/v1/programs/' + encodeURIComponent(this.getAttribute('program') || '');
    }

    _customer() {
      return this.getAttribute('customer') || tokenCustomer(this.getAttribute('token'));
    }

    // One call with the member's token. Resolves {status, body, text}; rejects {code, status, message, field} on any failure.
    _call(method, path, body, headers, asText) {
      var h2 = {'Authorization': 'Bearer ' + this.getAttribute('token')};
      Object.keys(headers || {}).forEach(function (k) {
        h2[k] = headers[k];
      });
      if (body !== undefined) {
        h2['Content-Type'] = 'application/json';
      }
      return fetch(this._base() + path, {
        method: method, headers: h2, body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer'
      }).then(function (r) {
        return r.text().then(function (text) {
          if (r.ok) {
            return {status: r.status, text: text, body: asText ? null : JSON.parse(text)};
          }
          var error = null;
          try {
            error = JSON.parse(text).error;
          } catch (e) {
            error = null;
          }
          var fallback = r.status === 401 ? 'unauthorized' : r.status === 403 ? 'forbidden' : r.status === 404 ? 'not_found'
              : r.status === 429 ? 'rate_limited' : r.status >= 500 ? 'unavailable' : 'http_' + r.status;
          throw {
            status: r.status, code: (error && typeof error.code === 'string') ? error.code : fallback,
            message: error && error.message, field: error && error.details && error.details.field
          };
        });
      }, function () {
        throw {status: 0, code: 'network'};
      });
    }

    /** Loads the wallet and its last ledger entries (two calls, in parallel) and renders them. */
    refresh() {
      var generation = ++this._generation;
      var self = this;
      var customer = this._customer();
      if (!this.getAttribute('token') || !this.getAttribute('program') || !customer) {
        this._error = {code: 'setup'};
        this._render();
        return Promise.resolve();
      }
      this._state = this._wallet ? 'refreshing' : 'loading';
      this._render();
      var path = '/customers/' + encodeURIComponent(customer);
      return Promise.all([this._call('GET', path), this._call('GET', path + '/ledger?limit=' + LEDGER_ENTRIES)])
          .then(function (answers) {
            if (generation !== self._generation) {
              return;
            }
            self._wallet = answers[0].body;
            self._ledger = answers[1].body.entries || [];
            self._error = null;
            self._render();
            if (!self._firstShown) {
              self._firstShown = true;
              if (window.performance && performance.mark) {
                performance.mark('laurel-wallet:rendered');
              }
            }
            self._emit('laurel-wallet:ready', self._wallet);
          }, function (e) {
            if (generation === self._generation) {
              self._fail(e);
            }
          });
    }

    _fail(e) {
      this._error = e;
      this._announce('');
      this._busy = null;
      this._render();
      if (e.status === 401) {
        this._emit('laurel-wallet:session-expired', {code: e.code, message: e.message});
      }
      var box = this._root.querySelector('.error');
      if (box && this._result === null) {
        box.focus();
      }
    }

    _emit(name, detail) {
      this.dispatchEvent(new CustomEvent(name, {detail: detail, bubbles: true, composed: true}));
    }

    redeem(reward) {
      var self = this;
      if (this._busy) {
        return Promise.resolve();
      }
      // the same key until the API has answered, so retrying after a lost connection cannot redeem twice
      var key = this._keys[reward.rewardId] || (this._keys[reward.rewardId] = idempotencyKey());
      this._busy = reward.rewardId;
      this._error = null;
      this._render();
      var name = reward.name || reward.rewardId;
      return this._call('POST', '/redeem', {customerId: this._wallet.customerId, rewardId: reward.rewardId},
          {'Idempotency-Key': key})
          .then(function (answer) {
            delete self._keys[reward.rewardId];
            var r = answer.body;
            self._result = {reward: name, code: r.code, valueMinor: r.valueMinor != null ? r.valueMinor : r.discountMinor,
              svg: null, qrFailed: false};
            self._busy = null;
            self._emit('laurel-wallet:redeemed', r);
            return Promise.all([
              self._call('GET', '/codes/' + encodeURIComponent(r.code) + '/qr.svg', undefined, undefined, true)
                  .then(function (q) {
                    self._result.svg = q.text;
                  }, function () {
                    self._result.qrFailed = true;
                  }),
              self.refresh()
            ]).then(function () {
              self._render();
              var heading = self._root.getElementById('result-heading');
              if (heading) {
                heading.focus();
              }
            });
          }, function (e) {
            if (e.status !== 0) {
              delete self._keys[reward.rewardId];
            }
            if (e.code === 'invalid_request' && e.field === 'order') {
              e.code = 'order_required';
            }
            self._fail(e);
          });
    }

    // ---- rendering ------------------------------------------------------------------------------

    _render() {
      var root = this._body;
      var active = this._root.activeElement;
      var keepFocus = active && active.getAttribute('data-focus-key');
      while (root.firstChild) {
        root.removeChild(root.firstChild);
      }
      var state = this._error && !this._wallet ? 'error' : this._wallet ? 'ready' : 'loading';
      if (this._error && this._error.status === 401) {
        state = 'expired';
      }
      this.setAttribute('data-state', state);
      var w = this._wallet;
      var section = h('section', {'class': 'wallet', lang: this._lang(), 'aria-labelledby': 'wallet-title',
        'aria-busy': this._state === 'loading' && !w ? 'true' : 'false'});
      section.appendChild(h('h2', {id: 'wallet-title', text: this.t('title')}));
      // results are announced by the live region (this._live), errors by their alert
      if (this._error) {
        section.appendChild(this._errorBox(this._error));
      }
      if (!w) {
        if (!this._error) {
          this._announce(this.t('loading'));
          section.appendChild(h('p', {'class': 'muted', text: this.t('loading')}));
        }
        root.appendChild(section);
        return;
      }
      if (this._result) {
        this._announce(this.t('resultText', {reward: this._result.reward, code: this._result.code}));
        section.appendChild(this._resultBox(this._result));
      }
      section.appendChild(this._balance(w));
      section.appendChild(this._tier(w.tier || {}, w.balance || {}));
      section.appendChild(this._expiring(w.expiring || []));
      section.appendChild(this._rewards(w.rewards || [], w.balance || {}));
      section.appendChild(this._activity(this._ledger || []));
      if (w.referral && w.referral.code) {
        section.appendChild(this._referral(w.referral));
      }
      root.appendChild(section);
      if (keepFocus) {
        var again = root.querySelector('[data-focus-key="' + keepFocus.replace(/["\\]/g, '') + '"]');
        if (again) {
          again.focus();
        }
      }
    }

    _errorBox(e) {
      var known = e.code && Object.prototype.hasOwnProperty.call(STRINGS.en, 'err_' + e.code);
      var text = known ? this.t('err_' + e.code) : this.t('err_other', {code: e.code});
      var box = h('div', {'class': 'error', role: 'alert', tabindex: '-1', part: 'error', 'data-error-code': e.code,
        'data-status': e.status}, [h('p', {text: text, style: null})]);
      if (e.status !== 401 && e.code !== 'setup') {
        var self = this;
        box.appendChild(h('button', {type: 'button', 'class': 'secondary', 'data-focus-key': 'retry', text: this.t('retry'),
          onclick: function () {
            self._error = null;
            self.refresh();
          }}));
      }
      return box;
    }

    _balance(w) {
      var b = w.balance;
      var box = h('div', {'class': 'block', part: 'balance-block'}, [
        h('h3', {id: 'balance-heading', text: this.t('balance')}),
        h('div', {'class': 'balance'}, [
          h('span', {'class': 'big', part: 'balance', 'data-value': b.available, 'aria-describedby': 'balance-heading',
            text: this.points(b.available)})
        ])
      ]);
      if (b.pending > 0) {
        var pending = h('p', {'class': 'muted', part: 'pending', 'data-value': b.pending},
            [this.t('pending') + ': ' + this.points(b.pending)]);
        box.appendChild(pending);
        var self = this;
        if ((w.pending || []).length) {
          box.appendChild(h('ul', {'aria-label': this.t('pending')}, w.pending.map(function (p) {
            return h('li', {'class': 'muted', text: self.t('pendingLine', {points: self.points(p.points), date: self.day(p.availableOn)})});
          })));
        }
      }
      return box;
    }

    _tier(tier, balance) {
      var box = h('div', {'class': 'block', part: 'tier', 'data-tier': tier.id || ''}, [h('h3', {text: this.t('tier')})]);
      box.appendChild(h('p', {'class': 'tier-name', text: tier.id || this.t('noTier')}));
      if (tier.next) {
        var earned = Math.max(0, Number(balance.lifetimeEarned) || 0);
        var toNext = Math.max(0, Number(tier.pointsToNext) || 0);
        var total = earned + toNext;
        var label = this.t('tierProgress', {tier: tier.next});
        box.appendChild(h('progress', {max: total || 1, value: total ? earned : 0, 'aria-label': label,
          'aria-valuetext': this.t('tierNext', {points: this.points(toNext), tier: tier.next})}));
        box.appendChild(h('p', {'class': 'muted', 'data-value': toNext, part: 'tier-next',
          text: this.t('tierNext', {points: this.points(toNext), tier: tier.next})}));
      } else if (tier.id) {
        box.appendChild(h('p', {'class': 'muted', text: this.t('tierTop')}));
      }
      return box;
    }

    _expiring(list) {
      var self = this;
      var box = h('div', {'class': 'block', part: 'expiring'}, [h('h3', {id: 'expiring-heading', text: this.t('expiring')})]);
      if (!list.length) {
        box.appendChild(h('p', {'class': 'muted', text: this.t('noExpiring')}));
        return box;
      }
      box.appendChild(h('ul', {'aria-labelledby': 'expiring-heading'}, list.map(function (e) {
        return h('li', {'data-value': e.points, 'data-on': e.on,
          text: self.t('expiringLine', {points: self.points(e.points), date: self.day(e.on)})});
      })));
      return box;
    }

    _rewards(list, balance) {
      var self = this;
      var expired = !!(this._error && this._error.status === 401);
      var box = h('div', {'class': 'block', part: 'rewards'}, [h('h3', {id: 'rewards-heading', text: this.t('rewards')})]);
      if (!list.length) {
        box.appendChild(h('p', {'class': 'muted', text: this.t('noRewards')}));
        return box;
      }
      box.appendChild(h('ul', {'aria-labelledby': 'rewards-heading'}, list.map(function (r) {
        var name = r.name || r.rewardId;
        var nameId = 'reward-' + String(r.rewardId).replace(/[^A-Za-z0-9_-]/g, '_');
        var info = h('div', {}, [
          h('div', {'class': 'reward-name', id: nameId, text: name}),
          h('div', {'class': 'muted', text: self.t('cost', {points: self.points(r.cost)})})
        ]);
        var action;
        if (r.eligible === false) {
          var reasons = (r.reasons || []).map(function (x) {
            return Object.prototype.hasOwnProperty.call(STRINGS.en, 'reason_' + x) ? self.t('reason_' + x) : self.t('reason_other');
          });
          action = h('span', {'class': 'muted', text: self.t('notAvailable', {reasons: reasons.join(', ') || self.t('reason_other')})});
        } else if (NEEDS_ORDER[r.type]) {
          action = h('span', {'class': 'muted', text: self.t('atCheckout')});
        } else if (r.affordable === false) {
          var missing = Math.max(0, Number(r.cost) - Number(balance.available));
          action = h('span', {'class': 'muted', text: self.t('needMore', {points: self.points(missing)})});
        } else {
          var busy = self._busy === r.rewardId;
          action = h('button', {type: 'button', 'data-reward': r.rewardId, 'data-focus-key': 'redeem:' + r.rewardId,
            'aria-label': self.t('redeemLabel', {reward: name, points: self.points(r.cost)}),
            'aria-describedby': nameId, disabled: self._busy !== null || expired, 'aria-busy': busy ? 'true' : null,
            text: busy ? self.t('redeeming') : self.t('redeem'),
            onclick: function () {
              self.redeem(r);
            }});
        }
        return h('li', {'class': 'reward', 'data-reward-id': r.rewardId, 'data-affordable': String(r.affordable),
          'data-eligible': String(r.eligible)}, [info, action]);
      })));
      return box;
    }

    _resultBox(res) {
      var box = h('div', {'class': 'result', part: 'result', 'data-code': res.code}, [
        h('h3', {id: 'result-heading', tabindex: '-1', text: this.t('result')}),
        h('p', {text: res.reward}),
        h('p', {'class': 'code', part: 'code', text: res.code}),
        h('p', {'class': 'muted', text: this.t('codeHint')})
      ]);
      var value = res.valueMinor ? this.money(res.valueMinor) : null;
      if (value) {
        box.appendChild(h('p', {part: 'value', 'data-value': res.valueMinor, text: this.t('codeValue', {value: value})}));
      }
      var svg = res.svg ? safeSvg(res.svg) : null;
      if (svg) {
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', this.t('qrLabel', {code: res.code}));
        svg.setAttribute('focusable', 'false');
        box.appendChild(h('div', {'class': 'qr', part: 'qr'}, [svg]));
      } else if (res.qrFailed || res.svg) {
        box.appendChild(h('p', {'class': 'muted', text: this.t('qrMissing')}));
      }
      return box;
    }

    _activity(entries) {
      var self = this;
      var names = {};
      ((this._wallet && this._wallet.rewards) || []).forEach(function (r) {
        names[r.rewardId] = r.name || r.rewardId;
      });
      var box = h('div', {'class': 'block', part: 'ledger'}, [h('h3', {id: 'ledger-heading', text: this.t('ledger')})]);
      if (!entries.length) {
        box.appendChild(h('p', {'class': 'muted', text: this.t('noLedger')}));
        return box;
      }
      box.appendChild(h('ul', {'aria-labelledby': 'ledger-heading'}, entries.map(function (e) {
        var label = Object.prototype.hasOwnProperty.call(STRINGS.en, 'type_' + e.type) ? self.t('type_' + e.type) : e.type;
        var reward = e.rewardId && names[e.rewardId];
        if (reward) {
          label += ': ' + reward;
        }
        var n = Number(e.points);
        var sign = n > 0 ? '+' : n < 0 ? '−' : '';
        return h('li', {'class': 'row', 'data-entry': e.id, 'data-type': e.type}, [
          h('span', {}, [h('span', {text: label}), h('span', {'class': 'muted', text: ' · ' + self.instant(e.at)})]),
          h('span', {'class': n < 0 ? 'minus' : 'plus', text: sign + self.points(Math.abs(n))})
        ]);
      })));
      return box;
    }

    _referral(ref) {
      var box = h('div', {'class': 'block', part: 'referral'}, [
        h('h3', {text: this.t('referral')}),
        h('p', {'class': 'muted', id: 'referral-label', text: this.t('referralCode')}),
        h('p', {'class': 'code', 'aria-labelledby': 'referral-label', 'data-value': ref.code, text: ref.code})
      ]);
      if (ref.referred !== undefined) {
        box.appendChild(h('p', {'class': 'muted', text: this.t('referralStats', {
          count: new Intl.NumberFormat(this._lang()).format(ref.referred || 0), points: this.points(ref.pointsEarned || 0)})}));
      }
      return box;
    }
  }

  LaurelWallet.STRINGS = STRINGS;
  LaurelWallet.LANGUAGES = LANGUAGES;
  if (!window.customElements.get('laurel-wallet')) {
    window.customElements.define('laurel-wallet', LaurelWallet);
  }
  window.LaurelWallet = LaurelWallet;
})();
