package dev.laurel.store.dynamodb;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Aliases every attribute name in an expression ({@code version} becomes {@code #_version}), so
 * no DynamoDB reserved word (there are over 500: status, name, definition, ...) can ever break
 * an expression. Values ({@code :v}), existing aliases ({@code #k}), functions and keywords stay.
 */
final class Expr {
    private static final Pattern WORD = Pattern.compile("(?<![:#A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)");
    private static final Set<String> KEYWORDS = Set.of("SET", "ADD", "REMOVE", "DELETE", "AND", "OR", "NOT", "BETWEEN", "IN");

    private Expr() {
    }

    /** The expression with its attribute names aliased; the aliases are added to {@code names}. */
    static String alias(String expression, Map<String, String> names) {
        if (expression == null) {
            return null;
        }
        Matcher m = WORD.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String word = m.group(1);
            int after = m.end();
            while (after < expression.length() && expression.charAt(after) == ' ') {
                after++;
            }
            boolean function = after < expression.length() && expression.charAt(after) == '(';
            if (function || KEYWORDS.contains(word.toUpperCase(java.util.Locale.ROOT))) {
                m.appendReplacement(out, word);
            } else {
                names.put("#_" + word, word);
                m.appendReplacement(out, "#_" + word);
            }
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Aliases a set of expressions sharing one names map (update + condition, key + filter). */
    static Map<String, String> names(Map<String, String> given) {
        return given == null ? new HashMap<>() : new HashMap<>(given);
    }
}
