package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the runner reads from the real template.yaml. */
class TemplateTest {
    final Template t = Template.read(Http.root().resolve("template.yaml"));

    @Test
    void readsTheTableWithItsIndex() {
        assertThat(t.tables()).hasSize(1);
        Template.Table table = t.mainTable();
        assertThat(table.logicalId()).isEqualTo("LaurelTable");
        assertThat(table.properties().path("GlobalSecondaryIndexes").get(0).path("IndexName").asText()).isEqualTo("due");
        assertThat(table.properties().path("GlobalSecondaryIndexes").get(1).path("IndexName").asText()).isEqualTo("remind");
    }

    @Test
    void readsEveryRouteWithItsHandlerAndTheAuthorizer() {
        assertThat(t.routes()).hasSize(31); // 22 + the imports (PUT, GET, POST rows, POST revert) + donations + the keys (POST, GET, DELETE) + consent/confirm
        for (Template.Route r : t.routes()) {
            assertThat(r.api()).isEqualTo("LaurelApi");
            assertThat(t.functions()).containsKey(r.function());
            if (r.key().equals("POST /v1/consent/confirm")) {
                assertThat(r.authorizer()).as("the double opt-in token is the credential: no authorizer").isNull();
                continue;
            }
            assertThat(r.authorizer()).isNotNull();
            assertThat(r.authorizer().function()).isEqualTo("AuthorizerFunction");
            assertThat(r.authorizer().identityHeaders()).containsExactly("Authorization");
            assertThat(r.authorizer().ttlSeconds()).isEqualTo(60); // !Ref AuthorizerCacheSeconds: its Default
            assertThat(r.authorizer().simpleResponses()).isTrue();
            assertThat(r.authorizer().payloadVersion()).isEqualTo("2.0");
            assertThat(r.authorizer().problem()).isNull();
        }
        Template.Route earn = t.routes().stream().filter(r -> r.key().equals("POST /v1/programs/{programId}/earn")).findFirst().orElseThrow();
        Template.Function fn = t.functions().get(earn.function());
        assertThat(fn.handlerClass()).isEqualTo("dev.laurel.functions.earn.EarnHandler");
        assertThat(fn.handlerMethod()).isEqualTo("handleRequest");
        assertThat(fn.timeoutSeconds()).isEqualTo(10);
        assertThat(t.functions().get("AuthorizerFunction").memoryMb()).isEqualTo(512);
    }

    @Test
    void readsTheTwoSchedulesUnderTheNamesOfApiMd() {
        assertThat(t.schedules()).extracting(Template.Schedule::name).containsExactlyInAnyOrder("expiry", "reminders", "deliveries");
        assertThat(t.schedule("deliveries").orElseThrow().expression()).isEqualTo("rate(1 minute)");
        assertThat(t.streamFunctions("LaurelTable")).as("two readers of the table's stream")
                .containsExactly("StreamFunction", "WebhookStreamFunction");
        Template.Schedule expiry = t.schedule("expiry").orElseThrow();
        assertThat(expiry.function()).isEqualTo("ExpiryFunction");
        assertThat(expiry.type()).isEqualTo("ScheduleV2");
        assertThat(expiry.expression()).isEqualTo("cron(15 0 * * ? *)");
        assertThat(expiry.input()).contains("<aws.scheduler.scheduled-time>");
        assertThat(t.schedule("reminders").orElseThrow().expression()).isEqualTo("rate(1 hour)");
        assertThat(t.functions().get("ExpiryFunction").handlerClass()).isEqualTo("dev.laurel.functions.expire.ExpireHandler");
        assertThat(t.functions().get("RemindersFunction").timeoutSeconds()).isEqualTo(900);
    }

    @Test
    void namesInKebabCase() {
        assertThat(Template.kebab("Expiry")).isEqualTo("expiry");
        assertThat(Template.kebab("PointsExpiry")).isEqualTo("points-expiry");
        assertThat(Template.kebab("APIKeys")).isEqualTo("api-keys");
    }
}
