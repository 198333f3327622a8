#!/usr/bin/env bash
# A shop's first hour with Laurel, against `./laurel local` (or any Laurel URL):
# create a program, enrol a customer, earn, validate, redeem, roll back, and show the wallet.
#   ./laurel local            # in another terminal
#   docs/walkthrough.sh
# LAUREL_URL, LAUREL_ADMIN_KEY, LAUREL_SHOP_KEY and LAUREL_CUSTOMER override the defaults.
set -euo pipefail

URL=${LAUREL_URL:-http://127.0.0.1:3000}
ADMIN=${LAUREL_ADMIN_KEY:-local-admin-key}
SHOP=${LAUREL_SHOP_KEY:-local-shop-key}
P=walkthrough
C=${LAUREL_CUSTOMER:-ada}
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT

# call METHOD PATH KEY STATUS_PATTERN [BODY] [HEADER]: prints the answer into $ANSWER, fails on another status
call() {
  local method=$1 path=$2 key=$3 expected=$4 body=${5:-} header=${6:-}
  local args=(-s -o "$TMP" -w '%{http_code}' -X "$method" "$URL$path" -H "Authorization: Bearer $key")
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data "$body"); fi
  if [ -n "$header" ]; then args+=(-H "$header"); fi
  local status
  status=$(curl "${args[@]}")
  ANSWER=$(cat "$TMP")
  printf '%s %s -> %s\n%s\n\n' "$method" "$path" "$status" "$ANSWER"
  if [[ ! "$status" =~ ^($expected)$ ]]; then
    echo "walkthrough: expected HTTP $expected" >&2
    exit 1
  fi
}

# field NAME: the first string or number value of a JSON field in $ANSWER (no jq needed)
field() {
  printf '%s' "$ANSWER" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}

echo "== 1. The marketer creates a program: 1 point per euro, 25 for joining, 10 EUR off for 100 points"
call PUT "/v1/programs/$P" "$ADMIN" '200|201' '{
  "name": "Walkthrough Rewards", "currency": "EUR", "timezone": "Europe/Berlin",
  "earningRules": [
    {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
    {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 25}}],
  "rewards": [{"id": "ten-off", "type": "discount_amount", "valueMinor": 1000, "cost": 100, "minOrderMinor": 2000,
               "limits": {"perCustomer": 5, "totalRedemptions": 500}}],
  "expiry": {"afterDays": 365}}'

echo "== 2. The shop enrols a customer (the welcome rule gives 25 points once)"
call PUT "/v1/programs/$P/customers/$C" "$SHOP" '200|201' \
  '{"email": "ada@example.com", "attributes": {"country": "DE"}, "consent": {"marketing": true}}'

echo "== 3. An order of 129.99 EUR is paid: 129 points"
ORDER="order-$C-$(date +%s)"
call POST "/v1/programs/$P/earn" "$SHOP" '200' "{\"customerId\": \"$C\",
  \"event\": {\"type\": \"order.paid\", \"id\": \"$ORDER\", \"order\": {\"totalMinor\": 12999, \"currency\": \"EUR\"}}}"

echo "== 4. At checkout: what may the customer redeem on a 50 EUR basket?"
call POST "/v1/programs/$P/validate" "$SHOP" '200' \
  "{\"customerId\": \"$C\", \"order\": {\"totalMinor\": 5000, \"currency\": \"EUR\"}, \"rewards\": [\"ten-off\"]}"

echo "== 5. The customer redeems 10 EUR off (the Idempotency-Key makes a retry safe)"
call POST "/v1/programs/$P/redeem" "$SHOP" '201' \
  "{\"customerId\": \"$C\", \"rewardId\": \"ten-off\", \"order\": {\"id\": \"basket-$ORDER\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}" \
  "Idempotency-Key: redeem-$ORDER"
REDEMPTION=$(field redemptionId)

echo "== 6. The basket is abandoned: roll the redemption back"
call POST "/v1/programs/$P/redemptions/$REDEMPTION/rollback" "$SHOP" '200'

echo "== 7. The customer's wallet and ledger"
call GET "/v1/programs/$P/customers/$C" "$SHOP" '200'
call GET "/v1/programs/$P/customers/$C/ledger?limit=10" "$SHOP" '200'
echo "walkthrough: done"
