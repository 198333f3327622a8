package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.laurel.domain.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API.md "Reward codes at the till": a redemption's code, looked up, used once, rolled back, expired, as a QR code. */
class RewardCodesTest {
    static final String P = "/v1/programs/codes";
    static final String PROGRAM = """
            {"name": "Codes", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "grant", "trigger": "points.granted", "points": {"fixed": 1000}}],
             "rewards": [
               {"id": "ten-off", "type": "discount_amount", "valueMinor": 1000, "cost": 100, "limits": {"totalRedemptions": 50}},
               {"id": "mug", "type": "product", "cost": 100, "codeValidDays": 7, "limits": {"totalRedemptions": 50}}
             ],
             "expiry": {"afterDays": 365}}
            """;

    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        Api.Reply put = api.admin("PUT", P, PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    Api.Reply redeem(String customerId, String rewardId, String key) {
        api.shop("POST", P + "/earn", """
                {"customerId": "%s", "event": {"type": "points.granted", "id": "g-%s"}}""".formatted(customerId, key));
        String order = rewardId.equals("ten-off") ? ", \"order\": {\"id\": \"o-" + key + "\", \"totalMinor\": 5000, \"currency\": \"EUR\"}" : "";
        Api.Reply r = api.shop("POST", P + "/redeem", "{\"customerId\": \"" + customerId + "\", \"rewardId\": \"" + rewardId + "\"" + order + "}",
                Map.of("Idempotency-Key", key));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r;
    }

    Api.Reply use(String code, String orderId, String key) {
        return api.shop("POST", P + "/codes/" + code + "/use", "{\"orderId\": \"" + orderId + "\", \"location\": \"till 3\"}",
                key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    @Test
    void aRedemptionCarriesAnUnambiguousCodeThatIsLookedUpAndUsedOnce() {
        Api.Reply r = redeem("c-1", "ten-off", "k1");
        String code = r.body().path("code").asText();
        assertThat(code).matches("LR(-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}){3}");
        assertThat(Ids.normalCode(code.toLowerCase())).isEqualTo(code);

        Api.Reply got = api.shop("GET", P + "/codes/" + code.toLowerCase(), null);
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        JsonNode b = got.body();
        assertThat(b.path("code").asText()).isEqualTo(code);
        assertThat(b.path("status").asText()).isEqualTo("issued");
        assertThat(b.path("rewardId").asText()).isEqualTo("ten-off");
        assertThat(b.path("customerId").asText()).isEqualTo("c-1");
        assertThat(b.path("redemptionId").asText()).isEqualTo(r.body().path("redemptionId").asText());
        assertThat(b.path("discountMinor").asLong()).isEqualTo(1000);
        assertThat(b.path("issuedAt").asText()).isEqualTo("2026-11-23T09:00:00Z");
        assertThat(b.has("expiresAt")).isFalse();
        assertThat(b.has("usedAt")).isFalse();

        Api.Reply used = use(code, "pos-1", null);
        assertThat(used.status()).as(used.toString()).isEqualTo(200);
        assertThat(used.body().path("status").asText()).isEqualTo("used");
        assertThat(used.body().path("usedAt").asText()).isEqualTo("2026-11-23T09:00:00Z");
        assertThat(used.body().path("orderId").asText()).isEqualTo("pos-1");
        Api.Reply again = use(code, "pos-1", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("already_used");
        assertThat(api.shop("GET", P + "/codes/" + code, null).body().path("status").asText()).isEqualTo("used");
    }

    @Test
    void aReplayWithTheSameKeyAnswersTheFirstAnswerAndAnotherBodyIsRefused() {
        String code = redeem("c-1", "ten-off", "k1").body().path("code").asText();
        Api.Reply first = use(code, "pos-1", "use-1");
        assertThat(first.status()).isEqualTo(200);
        Api.Reply replay = use(code, "pos-1", "use-1");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.headers()).containsEntry("idempotent-replayed", "true");
        assertThat(replay.body()).isEqualTo(first.body());
        Api.Reply other = use(code, "pos-2", "use-1");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("idempotency_key_reused");
        Api.Reply newKey = use(code, "pos-1", "use-2");
        assertThat(newKey.code()).isEqualTo("already_used");
    }

    @Test
    void unknownMalformedAndForeignCodesAre404AndTheBodyIsStrict() {
        String code = redeem("c-1", "ten-off", "k1").body().path("code").asText();
        assertThat(api.shop("GET", P + "/codes/LR-22222-22222-22222", null).status()).isEqualTo(404);
        assertThat(api.shop("GET", P + "/codes/not-a-code", null).code()).isEqualTo("not_found");
        Api other = new Api();
        other.admin("PUT", P, PROGRAM);
        assertThat(other.shop("GET", P + "/codes/" + code, null).status()).as("another tenant").isEqualTo(404);
        assertThat(other.shop("POST", P + "/codes/" + code + "/use", "{\"orderId\": \"x\"}").status()).isEqualTo(404);
        Api.Reply bad = api.shop("POST", P + "/codes/" + code + "/use", "{\"orderId\": \"x\", \"till\": 3}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.field()).isEqualTo("till");
        assertThat(api.shop("POST", P + "/codes/" + code + "/use", "{}").field()).isEqualTo("orderId");
        assertThat(api.shop("GET", P + "/codes/" + code, null).body().path("status").asText()).isEqualTo("issued");
    }

    @Test
    void sixteenTillsRacingForOneCodeGetExactlyOneSuccess() throws Exception {
        String code = redeem("c-1", "ten-off", "k1").body().path("code").asText();
        int tills = 16;
        ExecutorService pool = Executors.newFixedThreadPool(tills);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < tills; i++) {
                String order = "pos-" + i;
                replies.add(pool.submit(() -> {
                    start.await();
                    return use(code, order, null);
                }));
            }
            start.countDown();
            int ok = 0;
            int usedAlready = 0;
            for (Future<Api.Reply> f : replies) {
                Api.Reply r = f.get();
                if (r.status() == 200) {
                    ok++;
                } else {
                    assertThat(r.code()).as(r.toString()).isEqualTo("already_used");
                    usedAlready++;
                }
            }
            assertThat(ok).isEqualTo(1);
            assertThat(usedAlready).isEqualTo(tills - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rollingBackMarksTheCodeWhetherIssuedOrUsed() {
        Api.Reply issued = redeem("c-1", "ten-off", "k1");
        String code = issued.body().path("code").asText();
        Api.Reply rb = api.shop("POST", P + "/redemptions/" + issued.body().path("redemptionId").asText() + "/rollback", null);
        assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        assertThat(api.shop("GET", P + "/codes/" + code, null).body().path("status").asText()).isEqualTo("rolled_back");
        Api.Reply refused = use(code, "pos-1", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("already_rolled_back");

        // a used code: the till's sale was voided; the points come back and the code stays unusable
        Api.Reply second = redeem("c-2", "ten-off", "k2");
        String code2 = second.body().path("code").asText();
        assertThat(use(code2, "pos-2", null).status()).isEqualTo(200);
        Api.Reply rb2 = api.shop("POST", P + "/redemptions/" + second.body().path("redemptionId").asText() + "/rollback", null);
        assertThat(rb2.status()).as(rb2.toString()).isEqualTo(200);
        JsonNode after = api.shop("GET", P + "/codes/" + code2, null).body();
        assertThat(after.path("status").asText()).isEqualTo("rolled_back");
        assertThat(after.path("usedAt").asText()).as("the use stays on record").isEqualTo("2026-11-23T09:00:00Z");
        assertThat(use(code2, "pos-3", null).code()).isEqualTo("already_rolled_back");
        assertThat(api.shop("GET", P + "/customers/c-2", null).body().path("balance").path("available").asLong()).isEqualTo(1000);
    }

    @Test
    void aCodePastItsValidDaysIsExpiredAndRefusedAtTheTill() {
        Api.Reply r = redeem("c-1", "mug", "k1");
        String code = r.body().path("code").asText();
        JsonNode b = api.shop("GET", P + "/codes/" + code, null).body();
        assertThat(b.path("expiresAt").asText()).isEqualTo("2026-11-30T09:00:00Z");
        api.clock.advance(Duration.ofDays(7));
        assertThat(api.shop("GET", P + "/codes/" + code, null).body().path("status").asText()).isEqualTo("expired");
        Api.Reply refused = use(code, "pos-1", null);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("not_eligible");
        assertThat(refused.body().path("error").path("details").path("reasons").get(0).asText()).isEqualTo("expired");
    }

    @Test
    void anUnusedCodeExpiresByTheDailyRunGivingPointsAndBudgetBackOnce() {
        api = new Api(dev.laurel.local.LocalClock.frozenAt(java.time.Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200),
                LocalDynamo.freshTable());
        assertThat(api.admin("PUT", P, PROGRAM.replace("\"codeValidDays\": 7, \"limits\": {\"totalRedemptions\": 50}",
                "\"codeValidDays\": 7, \"limits\": {\"totalRedemptions\": 2}")).status()).isEqualTo(201);
        Jobs jobs = new Jobs(api);
        Api.Reply lapsing = redeem("c-1", "mug", "k1");
        String code = lapsing.body().path("code").asText();
        Api.Reply used = redeem("c-2", "mug", "k2");
        assertThat(use(used.body().path("code").asText(), "pos-1", null).status()).isEqualTo(200);
        api.shop("POST", P + "/earn", "{\"customerId\": \"c-3\", \"event\": {\"type\": \"points.granted\", \"id\": \"g3\"}}");
        Api.Reply full = api.shop("POST", P + "/redeem", "{\"customerId\": \"c-3\", \"rewardId\": \"mug\"}", Map.of("Idempotency-Key", "k3"));
        assertThat(full.code()).as("the budget of 2 is used").isEqualTo("budget_exhausted");

        api.clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(jobs.expiry().get(0).has("codesExpired")).as("not yet due").isFalse();
        api.clock.advance(Duration.ofSeconds(1));
        JsonNode run = jobs.expiry().get(0);
        assertThat(run.path("codesExpired").asLong()).as(run.toString()).isEqualTo(1);
        assertThat(run.path("codePointsReturned").asLong()).isEqualTo(100);
        assertThat(run.path("readRequests").asLong()).as("index queries and the code's reads, no scan").isLessThan(40);
        assertThat(jobs.expiry().get(0).has("codesExpired")).as("exactly once").isFalse();

        assertThat(api.shop("GET", P + "/customers/c-1", null).body().path("balance").path("available").asLong()).isEqualTo(1000);
        assertThat(api.shop("GET", P + "/customers/c-2", null).body().path("balance").path("available").asLong())
                .as("a used code keeps its redemption").isEqualTo(900);
        JsonNode entry = api.shop("GET", P + "/customers/c-1/ledger?limit=1", null).body().path("entries").get(0);
        assertThat(entry.path("type").asText()).isEqualTo("code_expired");
        assertThat(entry.path("points").asLong()).isEqualTo(100);
        assertThat(entry.path("at").asText()).isEqualTo("2026-11-30T09:00:00Z");
        assertThat(api.shop("GET", P + "/codes/" + code, null).body().path("status").asText()).isEqualTo("expired");
        Api.Reply rb = api.shop("POST", P + "/redemptions/" + lapsing.body().path("redemptionId").asText() + "/rollback", null);
        assertThat(rb.code()).as("the points came back already").isEqualTo("already_rolled_back");
        Api.Reply again = api.shop("POST", P + "/redeem", "{\"customerId\": \"c-3\", \"rewardId\": \"mug\"}",
                Map.of("Idempotency-Key", "k4"));
        assertThat(again.status()).as("the budget came back: " + again).isEqualTo(201);
    }

    @Test
    void theQrCodeDecodesToTheCode() throws Exception {
        String code = redeem("c-1", "ten-off", "k1").body().path("code").asText();
        Api.Reply qr = api.shop("GET", P + "/codes/" + code + "/qr.svg", null);
        assertThat(qr.status()).isEqualTo(200);
        assertThat(qr.headers().get("content-type")).isEqualTo("image/svg+xml");
        assertThat(decode(qr.body().asText())).isEqualTo(code);
        assertThat(api.shop("GET", P + "/codes/LR-22222-22222-22222/qr.svg", null).status()).isEqualTo(404);
    }

    /** Renders the SVG's module squares ({@code M x,y h1v1h-1z}) to a bitmap, 8 pixels a module, and decodes it with ZXing. */
    static String decode(String svg) throws Exception {
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(box.find()).as("a viewBox").isTrue();
        int modules = Integer.parseInt(box.group(1));
        int scale = 8;
        int side = modules * scale;
        int[] pixels = new int[side * side];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        Matcher m = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(svg);
        int dark = 0;
        while (m.find()) {
            int x = Integer.parseInt(m.group(1));
            int y = Integer.parseInt(m.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    pixels[(y * scale + dy) * side + x * scale + dx] = 0xFF000000;
                }
            }
            dark++;
        }
        assertThat(dark).isGreaterThan(100);
        LuminanceSource source = new RGBLuminanceSource(side, side, pixels);
        Result result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)));
        return result.getText();
    }
}
