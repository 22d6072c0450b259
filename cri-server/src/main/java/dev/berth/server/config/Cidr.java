package dev.berth.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IP network written as {@code address/prefix}, for example {@code 10.88.0.0/16} or {@code fd00:88::/64}. */
record Cidr(InetAddress address, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    static Cidr parse(String text) throws ConfigException {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new ConfigException("\"" + text + "\" is not a CIDR (address/prefix, for example 10.88.0.0/16)");
        }
        String host = text.substring(0, slash);
        // Only literals get to InetAddress: anything else could start a DNS lookup.
        boolean v4 = IPV4.matcher(host).matches();
        if (!v4 && !IPV6_CHARS.matcher(host).matches()) {
            throw new ConfigException("\"" + text + "\" does not start with an IPv4 or IPv6 address");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException("\"" + text + "\" does not start with an IPv4 or IPv6 address");
        }
        int maxPrefix = address.getAddress().length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > maxPrefix) {
            throw new ConfigException("\"" + text + "\" needs a prefix length from 0 to " + maxPrefix + " after the /");
        }
        return new Cidr(address, prefix);
    }
}
