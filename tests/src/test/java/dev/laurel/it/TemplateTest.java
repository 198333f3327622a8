package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** template.yaml and the code agree: routes, handler classes, jar paths, and one sample event per function. */
class TemplateTest {
    private final JsonNode resources;

    TemplateTest() throws Exception {
        resources = new ObjectMapper(new YAMLFactory()).readTree(LocalDynamo.root().resolve("template.yaml").toFile())
                .path("Resources");
    }

    @Test
    void theTemplatesRoutesAreExactlyTheApisRoutes() {
        List<String> routes = new ArrayList<>();
        resources.forEach(r -> r.path("Properties").path("Events").forEach(e -> {
            if (e.path("Type").asText().equals("HttpApi")) {
                routes.add(e.path("Properties").path("Method").asText().toUpperCase() + " " + e.path("Properties").path("Path").asText());
            }
        }));
        assertThat(routes).containsExactlyInAnyOrderElementsOf(Api.ROUTES);
    }

    @Test
    void everyFunctionNamesAHandlerThatExistsAndTheJarItsModuleBuilds() throws Exception {
        int functions = 0;
        for (var it = resources.fields(); it.hasNext(); ) {
            JsonNode r = it.next().getValue();
            if (!r.path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            functions++;
            String handler = r.path("Properties").path("Handler").asText();
            assertThat(handler).endsWith("::handleRequest");
            Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
            assertThat(com.amazonaws.services.lambda.runtime.RequestStreamHandler.class).isAssignableFrom(type);
            String codeUri = r.path("Properties").path("CodeUri").asText();
            String module = codeUri.replaceAll("^functions/([a-z]+)/target/\\1\\.jar$", "$1");
            assertThat(module).as(codeUri).doesNotContain("/");
            assertThat(Files.readString(LocalDynamo.root().resolve("functions").resolve(module).resolve("pom.xml")))
                    .contains("<function.name>" + module + "</function.name>");
            assertThat(r.path("Metadata").path("SkipBuild").asBoolean()).isTrue();
            assertThat(type.getPackageName()).isEqualTo("dev.laurel.functions." + module);
        }
        assertThat(functions).isEqualTo(16); // 15 + the keys (issue 14)
    }

    @Test
    void everyRouteHasASampleEventWithItsRouteKey() throws Exception {
        List<String> sampled = new ArrayList<>();
        try (var files = Files.list(LocalDynamo.root().resolve("events"))) {
            for (var f : files.toList()) {
                JsonNode e = new ObjectMapper().readTree(f.toFile());
                if (e.path("type").asText().equals("REQUEST") || e.has("job") || e.has("continuation") || e.has("Records")) {
                    continue; // the authorizer's event, the scheduled functions' (below) and the stream's
                }
                assertThat(e.path("version").asText()).isEqualTo("2.0");
                assertThat(e.path("requestContext").path("routeKey").asText()).isEqualTo(e.path("routeKey").asText());
                sampled.add(e.path("routeKey").asText());
            }
        }
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(Api.ROUTES);
    }

    /**
     * Issue 14: the budget split threshold is a parameter (default and minimum as the domain has them)
     * that reaches the two functions that read it, redeem and validate, as the variable the wiring reads.
     */
    @Test
    void theBudgetSplitThresholdIsAParameterOfRedeemAndValidate() throws Exception {
        JsonNode p = new ObjectMapper(new YAMLFactory()).readTree(LocalDynamo.root().resolve("template.yaml").toFile())
                .path("Parameters").path("BudgetSplitThreshold");
        assertThat(p.path("Type").asText()).isEqualTo("Number");
        assertThat(p.path("Default").asLong()).isEqualTo(dev.laurel.domain.Budgets.DEFAULT_SPLIT_THRESHOLD);
        assertThat(p.path("MinValue").asLong()).isEqualTo(dev.laurel.domain.Budgets.MIN_SPLIT_THRESHOLD);
        for (String f : List.of("RedeemFunction", "ValidateFunction")) {
            assertThat(resources.path(f).at("/Properties/Environment/Variables/" + dev.laurel.api.Wiring.BUDGET_SPLIT_THRESHOLD)
                    .asText()).as(f).isEqualTo("BudgetSplitThreshold");
        }
        assertThat(dev.laurel.api.Wiring.budgetSplitThreshold(null)).isEqualTo(1000);
        assertThat(dev.laurel.api.Wiring.budgetSplitThreshold(" 40 ")).isEqualTo(40);
        for (String bad : List.of("7", "0", "-5", "ten", "1e3")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.laurel.api.Wiring.budgetSplitThreshold(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget split threshold");
        }
    }

    /**
     * Issue 14: every route is throttled on the stage (rate and burst parameters), and one parameter sets both the
     * API Gateway authorizer cache and the authorizer function's own (revocation bound); the keys' function may write.
     */
    @Test
    void throttlingAndTheAuthorizerCacheAreParameters() throws Exception {
        JsonNode parameters = new ObjectMapper(new YAMLFactory()).readTree(LocalDynamo.root().resolve("template.yaml").toFile())
                .path("Parameters");
        assertThat(parameters.path("AuthorizerCacheSeconds").path("Default").asInt()).isEqualTo(60);
        assertThat(parameters.path("AuthorizerCacheSeconds").path("MaxValue").asInt()).isEqualTo(3600); // API Gateway's maximum
        assertThat(parameters.path("ThrottlingRateLimit").path("Default").asInt()).isPositive();
        assertThat(parameters.path("ThrottlingBurstLimit").path("Default").asInt()).isPositive();
        JsonNode api = resources.path("LaurelApi").path("Properties");
        // !Ref reads as the parameter's name
        assertThat(api.at("/DefaultRouteSettings/ThrottlingRateLimit").asText()).isEqualTo("ThrottlingRateLimit");
        assertThat(api.at("/DefaultRouteSettings/ThrottlingBurstLimit").asText()).isEqualTo("ThrottlingBurstLimit");
        assertThat(api.at("/Auth/Authorizers/LaurelAuthorizer/Identity/ReauthorizeEvery").asText()).isEqualTo("AuthorizerCacheSeconds");
        JsonNode authorizer = resources.path("AuthorizerFunction").path("Properties");
        assertThat(authorizer.at("/Environment/Variables/API_KEY_CACHE_SECONDS").asText()).isEqualTo("AuthorizerCacheSeconds");
        assertThat(authorizer.at("/Policies/0/Statement/0/Action").toString()).contains("dynamodb:GetItem", "dynamodb:UpdateItem")
                .doesNotContain("PutItem").doesNotContain("DeleteItem");
        JsonNode keys = resources.path("KeysFunction").path("Properties");
        assertThat(keys.path("CodeUri").asText()).isEqualTo(authorizer.path("CodeUri").asText());
        assertThat(keys.at("/Policies/0/Statement/0/Action").toString()).contains("dynamodb:PutItem", "dynamodb:DeleteItem",
                "dynamodb:Query", "dynamodb:BatchGetItem");
    }

    /** Each schedule's Input, as EventBridge Scheduler fills it in, is the function's sample event. */
    @Test
    void everyScheduleHasASampleEventMatchingItsInput() throws Exception {
        int schedules = 0;
        for (var it = resources.fields(); it.hasNext(); ) {
            JsonNode r = it.next().getValue();
            for (JsonNode e : r.path("Properties").path("Events")) {
                if (!e.path("Type").asText().equals("ScheduleV2")) {
                    continue;
                }
                schedules++;
                JsonNode input = new ObjectMapper().readTree(e.path("Properties").path("Input").asText());
                String module = r.path("Properties").path("CodeUri").asText().replaceAll("^functions/([a-z]+)/.*$", "$1");
                JsonNode sample = new ObjectMapper().readTree(LocalDynamo.root().resolve("events").resolve(module + ".json").toFile());
                assertThat(sample.path("job").asText()).isEqualTo(input.path("job").asText());
                List<String> fields = new ArrayList<>();
                input.fieldNames().forEachRemaining(fields::add);
                List<String> sampleFields = new ArrayList<>();
                sample.fieldNames().forEachRemaining(sampleFields::add);
                assertThat(sampleFields).containsExactlyElementsOf(fields);
                assertThat(e.path("Properties").path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isPositive();
                assertThat(e.path("Properties").path("DeadLetterConfig").path("Type").asText()).isEqualTo("SQS");
            }
        }
        assertThat(schedules).isEqualTo(3);
    }

    /** The change stream: both images, and a mapping that retries, bisects, reports partial failures and names its shard. */
    @Test
    void theTablesStreamFeedsTheStreamFunction() throws Exception {
        assertThat(resources.path("LaurelTable").path("Properties").path("StreamSpecification").path("StreamViewType").asText())
                .isEqualTo("NEW_AND_OLD_IMAGES");
        JsonNode fn = resources.path("StreamFunction").path("Properties");
        assertThat(fn.path("Handler").asText()).startsWith("dev.laurel.functions.stream.StreamHandler::");
        JsonNode source = fn.path("Events").path("TableStream");
        assertThat(source.path("Type").asText()).isEqualTo("DynamoDB");
        JsonNode p = source.path("Properties");
        assertThat(p.path("Stream").asText()).isEqualTo("LaurelTable.StreamArn"); // !GetAtt, read as its text
        assertThat(p.path("StartingPosition").asText()).isEqualTo("TRIM_HORIZON");
        assertThat(p.path("BatchSize").asInt()).isEqualTo(100);
        assertThat(p.path("MaximumBatchingWindowInSeconds").asInt()).isPositive();
        assertThat(p.path("BisectBatchOnFunctionError").asBoolean()).isTrue();
        assertThat(p.path("FunctionResponseTypes").get(0).asText()).isEqualTo("ReportBatchItemFailures");
        assertThat(p.path("MaximumRetryAttempts").asInt()).isPositive();
        assertThat(p.path("MaximumRecordAgeInSeconds").asInt()).isBetween(60, 86400);
        // with a tumbling window Lambda's event names the batch's shardId, which the counters key their sequences by
        assertThat(p.path("TumblingWindowInSeconds").asInt()).isPositive();
        assertThat(p.path("DestinationConfig").path("OnFailure").path("Type").asText()).isEqualTo("SQS");
        assertThat(p.path("DestinationConfig").path("OnFailure").path("Destination").asText())
                .isEqualTo("StreamFailuresQueue.Arn");
        assertThat(resources.path("StreamFailuresQueue").path("Type").asText()).isEqualTo("AWS::SQS::Queue");
        JsonNode sample = new ObjectMapper().readTree(LocalDynamo.root().resolve("events").resolve("stream.json").toFile());
        assertThat(sample.path("shardId").asText()).startsWith("shardId-");
        assertThat(sample.path("Records").get(0).path("eventSource").asText()).isEqualTo("aws:dynamodb");
        // the filter lets through every item the function consumes (the sample's records) and nothing else
        JsonNode sk = new ObjectMapper().readTree(p.path("FilterCriteria").path("Filters").get(0).path("Pattern").asText())
                .path("dynamodb").path("Keys").path("sk").path("S");
        java.util.function.Predicate<String> passes = key -> {
            for (JsonNode rule : sk) {
                if (rule.isTextual() ? rule.asText().equals(key) : key.startsWith(rule.path("prefix").asText("\u0000"))) {
                    return true;
                }
            }
            return false;
        };
        for (JsonNode r : sample.path("Records")) {
            assertThat(passes.test(r.path("dynamodb").path("Keys").path("sk").path("S").asText())).as(r.toString()).isTrue();
        }
        for (String other : new String[] {"D#2026-11-23", "OUTSTANDING", "I", "N#welcome", "X#o-1", "DEF", "STACK", "KEY"}) {
            assertThat(passes.test(other)).as(other).isFalse();
        }
    }

    /** CORS from the CorsAllowedOrigins parameter (none by default); the session keys generated into Secrets Manager. */
    @Test
    void corsComesFromItsParameterAndSessionKeysFromSecretsManager() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(LocalDynamo.root().resolve("template.yaml").toFile());
        assertThat(template.at("/Parameters/CorsAllowedOrigins/Default").asText("x")).isEmpty();
        // !If [HasCorsOrigins, {...}, !Ref AWS::NoValue] reads as a list here
        JsonNode cors = resources.at("/LaurelApi/Properties/CorsConfiguration");
        assertThat(cors.get(0).asText()).isEqualTo("HasCorsOrigins");
        assertThat(cors.get(1).path("AllowHeaders")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Authorization", "Content-Type", "Idempotency-Key");
        assertThat(cors.get(1).path("AllowMethods")).extracting(JsonNode::asText).containsExactlyInAnyOrder("GET", "POST", "PUT", "DELETE");
        assertThat(cors.get(1).path("MaxAge").asInt()).isPositive();
        JsonNode secret = resources.path("SessionKeysSecret");
        assertThat(secret.path("Type").asText()).isEqualTo("AWS::SecretsManager::Secret");
        assertThat(secret.at("/Properties/GenerateSecretString/GenerateStringKey").asText()).isEqualTo("secret");
        assertThat(secret.at("/Properties/GenerateSecretString/PasswordLength").asInt()).isGreaterThanOrEqualTo(32);
        assertThat(secret.at("/Properties/SecretString").isMissingNode()).as("no key material in the template").isTrue();
        for (String fn : List.of("AuthorizerFunction", "CustomersFunction")) {
            assertThat(resources.at("/" + fn + "/Properties/Environment/Variables/SESSION_KEYS_SECRET").asText()).isEqualTo("SessionKeysSecret");
            assertThat(resources.at("/" + fn + "/Properties/Policies").toString()).contains("secretsmanager:GetSecretValue");
        }
    }

    /**
     * The webhooks' consumer is the stream's second reader: its own mapping that retries, bisects and reports
     * partial failures, and a filter that passes ledger entries and profiles only (never its own deliveries).
     */
    @Test
    void theTablesStreamFeedsTheWebhooksConsumerToo() throws Exception {
        JsonNode fn = resources.path("WebhookStreamFunction").path("Properties");
        assertThat(fn.path("Handler").asText()).startsWith("dev.laurel.functions.webhooks.WebhookStreamHandler::");
        JsonNode p = fn.path("Events").path("TableStream").path("Properties");
        assertThat(fn.path("Events").path("TableStream").path("Type").asText()).isEqualTo("DynamoDB");
        assertThat(p.path("Stream").asText()).isEqualTo("LaurelTable.StreamArn");
        assertThat(p.path("BisectBatchOnFunctionError").asBoolean()).isTrue();
        assertThat(p.path("FunctionResponseTypes").get(0).asText()).isEqualTo("ReportBatchItemFailures");
        assertThat(p.path("MaximumRetryAttempts").asInt()).isPositive();
        assertThat(p.path("DestinationConfig").path("OnFailure").path("Destination").asText())
                .isEqualTo("WebhookStreamFailuresQueue.Arn");
        int readers = 0;
        for (var it = resources.fields(); it.hasNext(); ) {
            for (JsonNode e : it.next().getValue().path("Properties").path("Events")) {
                readers += e.path("Type").asText().equals("DynamoDB") ? 1 : 0;
            }
        }
        assertThat(readers).as("DynamoDB Streams serves two readers per shard").isEqualTo(2);
        JsonNode sk = new ObjectMapper().readTree(p.path("FilterCriteria").path("Filters").get(0).path("Pattern").asText())
                .path("dynamodb").path("Keys").path("sk").path("S");
        java.util.function.Predicate<String> passes = key -> {
            for (JsonNode rule : sk) {
                if (rule.isTextual() ? rule.asText().equals(key) : key.startsWith(rule.path("prefix").asText("\u0000"))) {
                    return true;
                }
            }
            return false;
        };
        assertThat(passes.test("E#0001795424400000#e-1")).isTrue();
        assertThat(passes.test("P")).isTrue();
        for (String other : new String[] {"H#crm#evt_0123", "R", "D#2026-11-23", "OUTSTANDING", "I", "N#welcome", "X#o-1", "W#crm"}) {
            assertThat(passes.test(other)).as(other).isFalse();
        }
        JsonNode gsi = resources.path("LaurelTable").path("Properties").path("GlobalSecondaryIndexes");
        List<String> names = new ArrayList<>();
        gsi.forEach(g -> names.add(g.path("IndexName").asText()));
        assertThat(names).contains("lists");
    }

    /**
     * Issue 14, SnapStart: every function publishes a version with SnapStart on its alias "live" (Globals), the
     * authorizer is named by that alias, and the self-invoking scheduled functions may invoke the alias they run
     * under. (SAM points the routes, the stream mappings and the schedules at the alias itself when
     * AutoPublishAlias is set; bench/snapstart/sam-alias-check.py shows it on the generated CloudFormation.)
     */
    @Test
    void everyFunctionRunsUnderSnapStartThroughItsAlias() throws Exception {
        JsonNode globals = new ObjectMapper(new YAMLFactory()).readTree(LocalDynamo.root().resolve("template.yaml").toFile())
                .path("Globals").path("Function");
        assertThat(globals.path("AutoPublishAlias").asText()).isEqualTo("live");
        assertThat(globals.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(globals.path("Runtime").asText()).isEqualTo("java21");
        for (var it = resources.fields(); it.hasNext(); ) {
            var r = it.next();
            JsonNode p = r.getValue().path("Properties");
            if (r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                assertThat(p.has("AutoPublishAlias")).as(r.getKey() + " keeps the global alias").isFalse();
                assertThat(p.has("SnapStart")).as(r.getKey() + " keeps the global SnapStart").isFalse();
                if (p.has("FunctionName")) { // the scheduled functions continue a run by invoking the ARN they were invoked by
                    assertThat(p.path("Policies").toString()).as(r.getKey()).contains("lambda:InvokeFunction")
                            .contains(p.path("FunctionName").asText().replace("${AWS::StackName}", "") + ":live");
                }
            }
        }
        // !Ref reads as the alias resource's logical id: <function>Alias<alias>
        assertThat(resources.at("/LaurelApi/Properties/Auth/Authorizers/LaurelAuthorizer/FunctionArn").asText())
                .isEqualTo("AuthorizerFunctionAliaslive");
    }

    /**
     * Observability (issue 14, docs/operations.md): every function has its errors and throttles alarm,
     * each stream consumer its iterator age alarm, each dead-letter queue (declared, or made by SAM for a
     * schedule: function + event + "Queue") its not-empty alarm; the table's system errors and the API's
     * 5xx answers are watched; every alarm notifies the optional topic; tracing is a parameter.
     */
    @Test
    void everyFunctionQueueAndTheTableHaveTheirAlarmsOnTheOptionalTopic() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(LocalDynamo.root().resolve("template.yaml").toFile());
        java.util.Map<String, JsonNode> alarms = new java.util.TreeMap<>();
        List<String> functions = new ArrayList<>();
        List<String> queues = new ArrayList<>();
        for (var it = resources.fields(); it.hasNext(); ) {
            var r = it.next();
            switch (r.getValue().path("Type").asText()) {
                case "AWS::CloudWatch::Alarm" -> alarms.put(r.getKey(), r.getValue().path("Properties"));
                case "AWS::SQS::Queue" -> queues.add(r.getKey());
                case "AWS::Serverless::Function" -> {
                    functions.add(r.getKey());
                    r.getValue().at("/Properties/Events").fields().forEachRemaining(e -> {
                        if (e.getValue().at("/Properties/DeadLetterConfig/Type").asText().equals("SQS")) {
                            queues.add(r.getKey() + e.getKey() + "Queue");
                        }
                    });
                }
                default -> {
                }
            }
        }
        assertThat(functions).hasSize(16);
        assertThat(queues).hasSize(5);
        for (String f : functions) {
            for (String metric : List.of("Errors", "Throttles")) {
                JsonNode a = alarms.get(f + metric + "Alarm");
                assertThat(a).as(f + " " + metric + " alarm").isNotNull();
                assertThat(a.path("Namespace").asText()).isEqualTo("AWS/Lambda");
                assertThat(a.path("MetricName").asText()).isEqualTo(metric);
                assertThat(a.at("/Dimensions/0/Value").asText()).isEqualTo(f); // !Ref reads as the name
            }
        }
        for (String f : List.of("StreamFunction", "WebhookStreamFunction")) {
            assertThat(alarms.get(f + "IteratorAgeAlarm").path("MetricName").asText()).isEqualTo("IteratorAge");
        }
        for (String q : queues) {
            JsonNode a = alarms.get(q + "NotEmptyAlarm");
            assertThat(a).as(q + " alarm").isNotNull();
            assertThat(a.path("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
            assertThat(a.at("/Dimensions/0/Value").toString()).contains(q);
        }
        assertThat(alarms.get("LaurelTableSystemErrorsAlarm").path("Metrics").toString()).contains("SystemErrors", "TransactWriteItems");
        assertThat(alarms.get("LaurelApiFaultsAlarm").path("Namespace").asText()).isEqualTo(dev.laurel.api.RequestLog.NAMESPACE);
        assertThat(alarms.get("LaurelApiFaultsAlarm").path("MetricName").asText()).isEqualTo("Faults");
        assertThat(alarms).allSatisfy((name, a) -> {
            assertThat(a.path("AlarmActions").toString()).as(name).isEqualTo("[\"HasAlarmTopic\",[\"AlarmTopicArn\"],\"AWS::NoValue\"]");
            assertThat(a.path("AlarmDescription").asText()).as(name).contains("docs/operations.md#");
        });
        assertThat(template.at("/Parameters/AlarmTopicArn/Default").asText()).isEmpty();
        assertThat(template.at("/Globals/Function/Tracing").asText()).isEqualTo("TracingMode");
        assertThat(template.at("/Parameters/TracingMode/AllowedValues").toString()).isEqualTo("[\"Active\",\"PassThrough\"]");
        String operations = Files.readString(LocalDynamo.root().resolve("docs/operations.md"));
        alarms.values().forEach(a -> assertThat(operations).contains("name=\"" + a.path("AlarmDescription").asText()
                .replaceAll(".*docs/operations.md#([a-z-]+).*", "$1") + "\""));
    }
}
