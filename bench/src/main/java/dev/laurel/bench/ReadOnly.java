package dev.laurel.bench;

import dev.laurel.domain.Customer;
import dev.laurel.store.Records;
import dev.laurel.store.Store;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A store for {@link RuleEngineBench}'s validate: one program and one customer, answered from memory,
 * so that the route is measured without its DynamoDB read. Any other call fails.
 */
final class ReadOnly {
    private ReadOnly() {
    }

    static Store store(String definition, Customer customer) {
        Records.StoredProgram program = new Records.StoredProgram(definition, 1, Instant.parse("2026-01-01T00:00:00Z"));
        Records.ValidateRead read = new Records.ValidateRead(customer, Records.OrderStack.EMPTY, Map.of(), Map.of(), Map.of());
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (self, m, args) ->
                switch (m.getName()) {
                    case "program" -> Optional.of(program);
                    case "programVersion" -> OptionalLong.of(program.version());
                    case "readForValidate" -> read;
                    case "webhooks", "imports" -> none(m.getReturnType());
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    case "toString" -> "ReadOnly";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** A part of the store validate never uses: every call fails. */
    private static Object none(Class<?> type) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, m, args) -> {
            throw new UnsupportedOperationException(type.getSimpleName() + "." + m.getName());
        });
    }
}
