package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.laurel.client.Laurel;
import dev.laurel.client.LaurelException;
import dev.laurel.client.Retry;
import dev.laurel.client.api.CustomersApi;
import dev.laurel.client.api.EarningApi;
import dev.laurel.client.api.RedemptionsApi;
import dev.laurel.client.invoker.ApiClient;
import dev.laurel.client.model.CustomerUpsert;
import dev.laurel.client.model.CustomerUpsertConsent;
import dev.laurel.client.model.EarnRequest;
import dev.laurel.client.model.EarnResult;
import dev.laurel.client.model.Event;
import dev.laurel.client.model.EventOrderPaid;
import dev.laurel.client.model.LedgerEntry;
import dev.laurel.client.model.LedgerEntryEarn;
import dev.laurel.client.model.LedgerEntryRedeem;
import dev.laurel.client.model.LedgerPage;
import dev.laurel.client.model.Order;
import dev.laurel.client.model.RedeemRequest;
import dev.laurel.client.model.Redemption;
import dev.laurel.client.model.ValidateRequest;
import dev.laurel.client.model.ValidateResult;
import dev.laurel.client.model.Wallet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/walkthrough.sh's shop steps through the Java SDK (clients/java) against a runner: the generated models read
 * the real answers, a redemption sent twice with one Idempotency-Key (as a retry after a lost answer) is applied
 * once, validate without {@code rewards} lists every reward, and a refusal is one LaurelException.
 */
class JavaSdkTest {
    @Test
    void theWalkthroughThroughTheJavaSdk() throws Exception {
        try (LocalServer server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true).schedules(false)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))) {
            Http http = new Http(server.url());
            assertThat(http.admin("PUT", "/v1/programs/sdk", LocalServerTest.minimalProgram()).status()).isEqualTo(201);
            ApiClient shop = Laurel.client(URI.create(server.url().toString()), "local-shop-key");
            CustomersApi customers = new CustomersApi(shop);
            EarningApi earning = new EarningApi(shop);
            RedemptionsApi redemptions = new RedemptionsApi(shop);
            Retry retry = Retry.defaults();

            assertThat(retry.call(() -> customers.upsertCustomer("sdk", "ada", new CustomerUpsert().email("ada@example.com")
                    .attributes(Map.of("country", "DE")).consent(new CustomerUpsertConsent().marketing(true)))).getCreated()).isTrue();
            EarnResult earned = retry.call(() -> earning.earn("sdk", new EarnRequest().customerId("ada").event(new Event(new EventOrderPaid()
                    .type(EventOrderPaid.TypeEnum.ORDER_PAID).id("order-1").order(new Order().totalMinor(12999L).currency("EUR"))))));
            assertThat(earned.getPointsEarned()).isEqualTo(129L);
            ValidateResult all = retry.call(() -> redemptions.validate("sdk", new ValidateRequest().customerId("ada")
                    .order(new Order().totalMinor(5000L).currency("EUR"))));
            assertThat(all.getRewards()).as("rewards omitted: every reward").isNotEmpty();

            String key = Retry.newIdempotencyKey();
            RedeemRequest body = new RedeemRequest().customerId("ada").rewardId("ten-off")
                    .order(new Order().id("basket-1").totalMinor(5000L).currency("EUR"));
            Redemption first = retry.idempotent(key, k -> redemptions.redeem(k, "sdk", body));
            Redemption again = retry.idempotent(key, k -> redemptions.redeem(k, "sdk", body));
            assertThat(again.getRedemptionId()).isEqualTo(first.getRedemptionId());
            assertThat(again.getBalance().getAvailable()).isEqualTo(first.getBalance().getAvailable());

            Wallet wallet = retry.call(() -> customers.getWallet("sdk", "ada"));
            assertThat(wallet.getBalance().getAvailable()).isEqualTo(first.getBalance().getAvailable());
            LedgerPage ledger = retry.call(() -> customers.listLedger("sdk", "ada", 10, null));
            assertThat(ledger.getEntries()).extracting(LedgerEntry::getActualInstance).extracting(Object::getClass)
                    .as("the union read by its discriminator, type").containsExactly(LedgerEntryRedeem.class, LedgerEntryEarn.class);

            assertThatThrownBy(() -> retry.idempotent(k -> redemptions.redeem(k, "sdk", new RedeemRequest().customerId("ada")
                    .rewardId("ten-off").order(new Order().id("basket-2").totalMinor(5000L).currency("EUR")))))
                    .isInstanceOfSatisfying(LaurelException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.code()).isEqualTo("insufficient_points");
                        assertThat(e.unreachable()).isFalse();
                    });
            assertThat(retry.retries()).isZero();
            assertThat(List.of(first.getCode())).allSatisfy(c -> assertThat(c).isNotBlank());
        }
    }
}
