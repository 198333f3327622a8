package dev.laurel.it.model;

import java.time.Instant;

/**
 * One step of a sequence. {@link #toString()} is the Java call that builds it (the static
 * factories below), so a shrunk sequence prints as lines to paste into a named test.
 */
sealed interface Op {
    /** PUT customer (first time: enrols and fires customer.joined). */
    record Upsert(String c, String country, boolean consent) implements Op {
        public String toString() {
            return "upsert(" + q(c) + ", " + q(country) + ", " + consent + ")";
        }
    }

    /** order.paid with event id = order id {@code order}; {@code at} is occurredAt. Same order again = replay or key reuse. */
    record Earn(String c, String order, long total, String at, String currency) implements Op {
        public String toString() {
            return "earn(" + q(c) + ", " + q(order) + ", " + total + ", " + q(at) + (currency.equals("EUR") ? "" : ", " + q(currency)) + ")";
        }
    }

    /** A custom event without an order (social.liked, review.written, or a type no rule has). */
    record Custom(String c, String type, String id, String at) implements Op {
        public String toString() {
            return "custom(" + q(c) + ", " + q(type) + ", " + q(id) + ", " + q(at) + ")";
        }
    }

    /** {@code n} social.liked events now (ids {@code id-0..}): many small lots. */
    record Likes(String c, String id, int n) implements Op {
        public String toString() {
            return "likes(" + q(c) + ", " + q(id) + ", " + n + ")";
        }
    }

    /** validate; {@code total} null = no order, {@code basket} null = an order without id, {@code rewards} null = qualification. */
    record Validate(String c, Long total, long shipping, String basket, String rewards) implements Op {
        public String toString() {
            return "validate(" + q(c) + ", " + l(total) + ", " + shipping + ", " + q(basket) + ", " + q(rewards) + ")";
        }
    }

    /** redeem with Idempotency-Key {@code key}; {@code handle} names it for rollbacks; {@code total} null = no order. */
    record Redeem(String c, String reward, String handle, String key, Long total, long shipping, String basket,
                  String currency) implements Op {
        public String toString() {
            return "redeem(" + q(c) + ", " + q(reward) + ", " + q(handle) + ", " + q(key) + ", " + l(total) + ", "
                    + shipping + ", " + q(basket) + (currency.equals("EUR") ? "" : ", " + q(currency)) + ")";
        }
    }

    /**
     * Issue 16: PUT a new version of the program (absolute, like {@link Clock}): its currency, time
     * zone, a reward removed or repriced (null: none), which event reminders it sends, and its
     * channel (null: none, else webhook "a" or "b").
     */
    record Program(String currency, String zone, String removed, String repriced, boolean welcome, boolean rewardAvailable,
                   boolean tierUpgraded, String channel) implements Op {
        public String toString() {
            return "program(" + q(currency) + ", " + q(zone) + ", " + q(removed) + ", " + q(repriced) + ", " + welcome + ", "
                    + rewardAvailable + ", " + tierUpgraded + ", " + q(channel) + ")";
        }
    }

    /** Issue 12: a newcomer's upsert naming {@code referrer}'s referral code (an unknown code when they are no member). */
    record Refer(String c, String referrer) implements Op {
        public String toString() {
            return "refer(" + q(c) + ", " + q(referrer) + ")";
        }
    }

    /** A donation (API.md Donations) with Idempotency-Key {@code key}; {@code charity} "nope" names none. */
    record Donate(String c, String charity, long points, String key) implements Op {
        public String toString() {
            return "donate(" + q(c) + ", " + q(charity) + ", " + points + ", " + q(key) + ")";
        }
    }

    /** Issue 12: POST /v1/consent/confirm with the token of the {@code back}-th last confirmation sent to {@code c} (none: a forged one). */
    record Confirm(String c, int back) implements Op {
        public String toString() {
            return "confirm(" + q(c) + ", " + back + ")";
        }
    }

    record Rollback(String handle, String key) implements Op {
        public String toString() {
            return "rollback(" + q(handle) + ", " + q(key) + ")";
        }
    }

    record Refund(String c, String order, long amount) implements Op {
        public String toString() {
            return "refund(" + q(c) + ", " + q(order) + ", " + amount + ")";
        }
    }

    /** Sets the clock (absolute, so that dropping steps keeps time moving forward). */
    record Clock(Instant to) implements Op {
        public String toString() {
            return "clock(" + q(to.toString()) + ")";
        }
    }

    record Expiry() implements Op {
        public String toString() {
            return "expiry()";
        }
    }

    record Reminders() implements Op {
        public String toString() {
            return "reminders()";
        }
    }

    record Wallet(String c) implements Op {
        public String toString() {
            return "wallet(" + q(c) + ")";
        }
    }

    record Ledger(String c) implements Op {
        public String toString() {
            return "ledger(" + q(c) + ")";
        }
    }

    static Upsert upsert(String c, String country, boolean consent) {
        return new Upsert(c, country, consent);
    }

    static Earn earn(String c, String order, long total, String at) {
        return new Earn(c, order, total, at, "EUR");
    }

    static Earn earn(String c, String order, long total, String at, String currency) {
        return new Earn(c, order, total, at, currency);
    }

    static Program program(String currency, String zone, String removed, String repriced, boolean welcome,
                           boolean rewardAvailable, boolean tierUpgraded, String channel) {
        return new Program(currency, zone, removed, repriced, welcome, rewardAvailable, tierUpgraded, channel);
    }

    static Custom custom(String c, String type, String id, String at) {
        return new Custom(c, type, id, at);
    }

    static Likes likes(String c, String id, int n) {
        return new Likes(c, id, n);
    }

    static Validate validate(String c, Long total, long shipping, String basket, String rewards) {
        return new Validate(c, total, shipping, basket, rewards);
    }

    static Redeem redeem(String c, String reward, String handle, String key, Long total, long shipping, String basket) {
        return new Redeem(c, reward, handle, key, total, shipping, basket, "EUR");
    }

    static Redeem redeem(String c, String reward, String handle, String key, Long total, long shipping, String basket,
                         String currency) {
        return new Redeem(c, reward, handle, key, total, shipping, basket, currency);
    }

    static Refer refer(String c, String referrer) {
        return new Refer(c, referrer);
    }

    static Donate donate(String c, String charity, long points, String key) {
        return new Donate(c, charity, points, key);
    }

    static Confirm confirm(String c, int back) {
        return new Confirm(c, back);
    }

    static Rollback rollback(String handle, String key) {
        return new Rollback(handle, key);
    }

    static Refund refund(String c, String order, long amount) {
        return new Refund(c, order, amount);
    }

    static Clock clock(String to) {
        return new Clock(Instant.parse(to));
    }

    static Expiry expiry() {
        return new Expiry();
    }

    static Reminders reminders() {
        return new Reminders();
    }

    static Wallet wallet(String c) {
        return new Wallet(c);
    }

    static Ledger ledger(String c) {
        return new Ledger(c);
    }

    private static String q(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private static String l(Long v) {
        return v == null ? "null" : v + "L";
    }
}
