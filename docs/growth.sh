#!/usr/bin/env bash
# Growth features against `./laurel local` (or any Laurel URL), a second walkthrough:
# double opt-in (the confirmation token from the outbox, confirmed without an API key, a bonus paid
# only to confirmed addresses) and refer-a-friend (a referral code, both sides rewarded at the
# friend's first qualifying order), a tier kept per calendar year (the referral award upgrades), a
# segment in a rule and on the wallet, velocity limits (a capped breakdown) and a donation.
#   ./laurel local            # in another terminal
#   docs/growth.sh
# LAUREL_URL, LAUREL_ADMIN_KEY, LAUREL_SHOP_KEY and LAUREL_RUN (a suffix for the customer ids) override the defaults.
set -euo pipefail

URL=${LAUREL_URL:-http://127.0.0.1:3000}
ADMIN=${LAUREL_ADMIN_KEY:-local-admin-key}
SHOP=${LAUREL_SHOP_KEY:-local-shop-key}
P=growth
RUN=${LAUREL_RUN:-$(date +%s)}
ADA="ada-$RUN"
BOB="bob-$RUN"
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT

# call METHOD PATH KEY STATUS_PATTERN [BODY]: prints the answer into $ANSWER, fails on another status (KEY "-": no key)
call() {
  local method=$1 path=$2 key=$3 expected=$4 body=${5:-}
  local args=(-s -o "$TMP" -w '%{http_code}' -X "$method" "$URL$path")
  if [ "$key" != "-" ]; then args+=(-H "Authorization: Bearer $key"); fi
  if [ -n "${IDEM:-}" ]; then args+=(-H "Idempotency-Key: $IDEM"); fi
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data "$body"); fi
  local status
  status=$(curl "${args[@]}")
  ANSWER=$(cat "$TMP")
  printf '%s %s -> %s\n%s\n\n' "$method" "$path" "$status" "$ANSWER"
  if [[ ! "$status" =~ ^($expected)$ ]]; then
    echo "growth: expected HTTP $expected" >&2
    exit 1
  fi
}

# field NAME: the first string or number value of a JSON field in $ANSWER (no jq needed)
field() {
  printf '%s' "$ANSWER" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}

echo "== 1. A program with double opt-in, 50 points for a confirmed address, refer-a-friend, a silver tier kept"
echo "   per calendar year, a segment of returning customers (10 bonus points), velocity limits and a charity"
call PUT "/v1/programs/$P" "$ADMIN" '200|201' '{
  "name": "Growth Rewards", "currency": "EUR", "timezone": "Europe/Berlin",
  "earningRules": [
    {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
    {"id": "confirmed-bonus", "trigger": "customer.confirmed", "points": {"fixed": 50}},
    {"id": "returning-bonus", "trigger": "order.paid", "points": {"fixed": 10}, "when": {"segment": "returning"}}],
  "segments": [{"id": "returning", "when": {"attr": "customer.stats.ordersCount", "op": "gte", "value": 1}}],
  "tiers": [{"id": "member", "threshold": 0}, {"id": "silver", "threshold": 500}],
  "tierPolicy": {"window": "calendar_year", "downgrade": "end_of_window"},
  "velocity": {"eventsPerCustomerPerHour": 3},
  "charities": [{"id": "trees", "name": "Plant a tree", "pointValueMinor": 1}],
  "consent": {"doubleOptIn": true},
  "referrals": {"referrer": {"points": 500}, "referee": {"points": 200}, "minOrderMinor": 2000,
                "limits": {"perReferrer": 20}},
  "expiry": {"afterDays": 365}}'

echo "== 2. Ada signs up for the newsletter: her consent is pending, a confirmation goes out"
call PUT "/v1/programs/$P/customers/$ADA" "$SHOP" '201' \
  '{"email": "ada@example.com", "locale": "de", "consent": {"marketing": true}}'

echo "== 3. The message (locally: the outbox; deployed: the program's webhook or e-mail) carries the token"
call GET "/local/outbox" - '200'
TOKEN=$(printf '%s' "$ANSWER" | grep -o "\"customerId\":\"$ADA\",\"type\":\"consent_confirmation\"[^}]*\"token\":\"[A-Za-z0-9_-]*\"" \
  | sed -n 's/.*"token":"\([A-Za-z0-9_-]*\)"/\1/p' | tail -n 1)
echo "token: $TOKEN"

echo "== 4. Ada clicks the link: the shop's page confirms with the token alone (no API key)"
call POST "/v1/consent/confirm" - '200' "{\"token\": \"$TOKEN\"}"
echo "== 5. The token is single use"
call POST "/v1/consent/confirm" - '404' "{\"token\": \"$TOKEN\"}"

echo "== 6. Her wallet: confirmed, the 50 points of customer.confirmed, her referral code"
call GET "/v1/programs/$P/customers/$ADA" "$SHOP" '200'
CODE=$(printf '%s' "$ANSWER" | sed -n 's/.*"referral":{"code":"\([^"]*\)".*/\1/p')
echo "referral code: $CODE"

echo "== 7. Bob joins with Ada's code and pays his first order of 30 EUR: both get their referral points"
call PUT "/v1/programs/$P/customers/$BOB" "$SHOP" '201' "{\"email\": \"bob@example.com\", \"referredBy\": \"$CODE\"}"
call POST "/v1/programs/$P/earn" "$SHOP" '200' "{\"customerId\": \"$BOB\",
  \"event\": {\"type\": \"order.paid\", \"id\": \"order-$BOB\", \"order\": {\"totalMinor\": 3000, \"currency\": \"EUR\"}}}"
echo "== 8. Ada's wallet: 50 + 500 referral points; they count in this year's window, so she is silver now"
call GET "/v1/programs/$P/customers/$ADA" "$SHOP" '200'
echo "tier: $(printf '%s' "$ANSWER" | sed -n 's/.*"tier":{"id":"\([^"]*\)".*/\1/p')"

order() { # order N: Bob pays order N of 30 EUR
  call POST "/v1/programs/$P/earn" "$SHOP" '200' "{\"customerId\": \"$BOB\",
  \"event\": {\"type\": \"order.paid\", \"id\": \"order-$BOB-$1\", \"order\": {\"totalMinor\": 3000, \"currency\": \"EUR\"}}}"
}
echo "== 9. Bob orders again: he is in the segment 'returning' now (one order before), so its rule adds 10 points"
order 2
echo "== 10. His wallet lists his segments"
call GET "/v1/programs/$P/customers/$BOB" "$SHOP" '200'
echo "== 11. Velocity: at most 3 of his own events an hour; the 4th is recorded but earns nothing (capped: velocity)"
order 3
order 4
echo "== 12. Ada donates 100 points to plant trees (Idempotency-Key required; the same key again is the same donation)"
IDEM="donate-$ADA" call POST "/v1/programs/$P/donations" "$SHOP" '201' "{\"customerId\": \"$ADA\", \"charityId\": \"trees\", \"points\": 100}"
IDEM="donate-$ADA" call POST "/v1/programs/$P/donations" "$SHOP" '201' "{\"customerId\": \"$ADA\", \"charityId\": \"trees\", \"points\": 100}"
call GET "/v1/programs/$P/customers/$ADA" "$SHOP" '200'
echo "growth: done"
