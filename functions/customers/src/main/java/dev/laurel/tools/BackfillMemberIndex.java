package dev.laurel.tools;

import dev.laurel.api.Wiring;

/**
 * Once, after deploying the member listing onto a table that already holds members: keys every
 * profile stored before the {@code members} index existed, so that the listing and the export
 * see them at once (otherwise each appears at its next write). Safe while the API serves, and to
 * run again. Usage (table, region and credentials from the environment, as for the AWS CLI):
 *
 * <pre>
 * TABLE_NAME=laurel-LaurelTable-XXXX java -cp functions/customers/target/customers.jar dev.laurel.tools.BackfillMemberIndex
 * </pre>
 */
public final class BackfillMemberIndex {
    private BackfillMemberIndex() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println("usage: TABLE_NAME=<table> java -cp customers.jar dev.laurel.tools.BackfillMemberIndex");
            System.exit(2);
        }
        long keyed = Wiring.backfillMemberIndex(n -> {
            if (n % 1000 == 0) {
                System.err.printf("%,d profiles keyed%n", n);
            }
        });
        System.out.printf("members index: %,d profiles keyed%n", keyed);
    }
}
