package io.chainwatch.pattern;

import java.io.Serializable;

/**
 * An IPv4 or IPv6 network. Parses literal addresses only (never a DNS lookup, which
 * {@code InetAddress.getByName} could do for a hostile value).
 */
public final class Cidr implements Serializable {

    private static final long serialVersionUID = 1L;

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = parseAddress(addr.trim());
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR network");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length");
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length out of range");
            }
        }
        return new Cidr(bytes, prefix);
    }

    public boolean contains(String address) {
        return contains(parseAddress(address.trim()));
    }

    /** Whether an address already parsed by {@link #parseAddress} (null: not an address) is in the network. */
    public boolean contains(byte[] a) {
        if (a == null) {
            return false;
        }
        if (a.length != network.length) {
            // IPv4-mapped IPv6 (::ffff:a.b.c.d) against an IPv4 network.
            if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
                byte[] v4 = new byte[4];
                System.arraycopy(a, 12, v4, 0, 4);
                a = v4;
            } else {
                return false;
            }
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
    }

    /** Parses a literal IPv4 or IPv6 address, or returns null. */
    static byte[] parseAddress(String s) {
        if (s.indexOf(':') >= 0) {
            return parseV6(s);
        }
        return parseV4(s);
    }

    private static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseV6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        byte[] v4tail = null;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) >= 0) {
            v4tail = parseV4(s.substring(lastColon + 1));
            if (v4tail == null) {
                return null;
            }
            s = s.substring(0, lastColon + 1) + "0:0";
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        String[] h = head.isEmpty() ? new String[0] : head.split(":", -1);
        String[] t = tail.isEmpty() ? new String[0] : tail.split(":", -1);
        if (doubleColon < 0 && h.length != 8 || h.length + t.length > (doubleColon >= 0 ? 7 : 8)) {
            return null;
        }
        int[] groups = new int[8];
        for (int i = 0; i < h.length; i++) {
            Integer g = hexGroup(h[i]);
            if (g == null) {
                return null;
            }
            groups[i] = g;
        }
        for (int i = 0; i < t.length; i++) {
            Integer g = hexGroup(t[i]);
            if (g == null) {
                return null;
            }
            groups[8 - t.length + i] = g;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (groups[i] >> 8);
            out[2 * i + 1] = (byte) groups[i];
        }
        if (v4tail != null) {
            System.arraycopy(v4tail, 0, out, 12, 4);
        }
        return out;
    }

    private static Integer hexGroup(String g) {
        if (g.isEmpty() || g.length() > 4) {
            return null;
        }
        try {
            return Integer.parseInt(g, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
