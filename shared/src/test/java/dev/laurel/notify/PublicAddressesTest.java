package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublicAddressesTest {
    @Test
    void privateLoopbackLinkLocalAndMetadataAddressesAreRefused() {
        for (String host : new String[] {"127.0.0.1", "localhost", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "[::1]", "[fd00::1]", "[fe80::1]", "224.0.0.1"}) {
            assertThat(PublicAddresses.refusal(host)).as(host).isNotNull();
        }
        for (String host : new String[] {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "[2606:4700::1111]"}) {
            assertThat(PublicAddresses.refusal(host)).as(host).isNull();
        }
    }

    @Test
    void aWebhookToTheRuntimeApisAddressIsNotCalled() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/", ex -> {
            calls.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/2018-06-01/runtime/invocation/x/response");
            Channel guarded = new PublicAddresses(url, new WebhookChannel(url, "0123456789abcdef", WebhookChannel.httpClient(),
                    Clock.systemUTC()));
            DeliveryException e = assertThrows(DeliveryException.class, () -> guarded.send(new Notification("welcome", "welcome",
                    "p", null, "c-1", null, Instant.parse("2026-11-23T09:00:00Z"),
                    dev.laurel.json.Json.object().put("signupPoints", 1))));
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("not a public address").doesNotContain("/runtime");
            assertThat(calls.get()).isZero();
        } finally {
            server.stop(0);
        }
    }
}
