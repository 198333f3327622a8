package dev.laurel.domain;

import java.util.Currency;

/** Money is an integer amount in minor units plus an ISO 4217 currency; never a floating point value. */
public final class Money {
    private Money() {
    }

    public static boolean isCurrency(String code) {
        if (code == null || !code.matches("^[A-Z]{3}$")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
