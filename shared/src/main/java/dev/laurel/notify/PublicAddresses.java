package dev.laurel.notify;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A webhook channel that only calls public addresses. A program's admin chooses the webhook URL;
 * deployed, it must not reach the function's own surroundings: the Lambda Runtime API on
 * 127.0.0.1:9001, the instance metadata address 169.254.169.254, or a private network. The host
 * is resolved before each send and the send refused (not retryable) when any address is
 * loopback, link-local, site-local (10/8, 172.16/12, 192.168/16), unique-local (fc00::/7),
 * carrier-grade NAT (100.64/10), wildcard or multicast. The local runner does not use this, so
 * a receiver on the developer's machine works there.
 *
 * <p>It checks the addresses the name has when checked; a DNS answer that changes between this
 * check and the connection (rebinding) is not caught here. An egress proxy or a VPC without
 * routes to private ranges closes that gap for deployments that need it.
 */
public final class PublicAddresses implements Channel {
    private final URI url;
    private final Channel webhook;

    public PublicAddresses(URI url, Channel webhook) {
        this.url = Objects.requireNonNull(url, "url");
        this.webhook = Objects.requireNonNull(webhook, "webhook");
    }

    @Override
    public String kind() {
        return webhook.kind();
    }

    @Override
    public void send(Notification n) throws DeliveryException {
        String refused = refusal(url.getHost());
        if (refused != null) {
            throw new DeliveryException("webhook " + url.getScheme() + "://" + url.getHost() + " is refused: " + refused, false);
        }
        webhook.send(n);
    }

    /** Why a host may not be called, or null when every address it resolves to is public. */
    public static String refusal(String host) {
        if (host == null || host.isEmpty()) {
            return "the URL has no host";
        }
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return null; // the send itself will fail, retryably, and say so
        }
        for (InetAddress a : all) {
            if (!isPublic(a)) {
                return "it resolves to " + a.getHostAddress() + ", which is not a public address";
            }
        }
        return null;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc; // fc00::/7, unique local
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return !(first == 100 && second >= 64 && second < 128) // 100.64/10, carrier-grade NAT
                && first != 0;
    }
}
