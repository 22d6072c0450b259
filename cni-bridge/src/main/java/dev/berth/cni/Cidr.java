package dev.berth.cni;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP network written as {@code address/prefix}, for example {@code 10.88.0.0/16} or
 * {@code fd00:88::/64}: the default network's subnet in Berth's config, the pod CIDRs kubelet sends.
 */
public record Cidr(InetAddress address, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** @throws IllegalArgumentException naming {@code text} and what is wrong with it */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not a CIDR (address/prefix, for example 10.88.0.0/16)");
        }
        String host = text.substring(0, slash);
        // Only literals get to InetAddress: anything else could start a DNS lookup.
        boolean v4 = IPV4.matcher(host).matches();
        if (!v4 && !IPV6_CHARS.matcher(host).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" does not start with an IPv4 or IPv6 address");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\" does not start with an IPv4 or IPv6 address");
        }
        int maxPrefix = address.getAddress().length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > maxPrefix) {
            throw new IllegalArgumentException("\"" + text + "\" needs a prefix length from 0 to " + maxPrefix + " after the /");
        }
        return new Cidr(address, prefix);
    }

    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    /** The network itself: the address with the host bits cleared. */
    public Cidr network() {
        byte[] bytes = address.getAddress();
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return new Cidr(InetAddress.getByAddress(bytes), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefix;
    }
}
