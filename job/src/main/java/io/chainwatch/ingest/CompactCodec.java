package io.chainwatch.ingest;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact encoding chainwatch's own Flink serializers share: texts as varint(length + 1) then UTF-8
 * bytes (0 = null), nullable numbers as a presence byte and the value, lists and maps as varint(size + 1)
 * then their items. For the ASCII that audit logs are made of, a text is an array copy each way, where
 * Flink's {@code StringValue} writes char by char.
 */
public final class CompactCodec {
    private CompactCodec() {}

    public static void writeVarInt(DataOutputView out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    public static int readVarInt(DataInputView in) throws IOException {
        int v = 0;
        int shift = 0;
        while (true) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
            if (shift > 28) {
                throw new IOException("corrupt record: varint too long");
            }
        }
    }

    public static void writeString(DataOutputView out, String s) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarInt(out, b.length + 1);
        out.write(b);
    }

    public static String readString(DataInputView in) throws IOException {
        int n = readVarInt(in) - 1;
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public static void writeNullableInt(DataOutputView out, Integer v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeInt(v);
        }
    }

    public static Integer readNullableInt(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    public static void writeNullableLong(DataOutputView out, Long v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    public static Long readNullableLong(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    public static void writeList(DataOutputView out, List<String> l) throws IOException {
        if (l == null) {
            out.writeByte(0);
            return;
        }
        writeVarInt(out, l.size() + 1);
        for (String s : l) {
            writeString(out, s);
        }
    }

    public static List<String> readList(DataInputView in) throws IOException {
        int n = readVarInt(in) - 1;
        if (n < 0) {
            return null;
        }
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(readString(in));
        }
        return l;
    }

    public static void writeMap(DataOutputView out, Map<String, String> m) throws IOException {
        if (m == null) {
            out.writeByte(0);
            return;
        }
        writeVarInt(out, m.size() + 1);
        for (Map.Entry<String, String> e : m.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    public static Map<String, String> readMap(DataInputView in) throws IOException {
        int n = readVarInt(in) - 1;
        if (n < 0) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            m.put(readString(in), readString(in));
        }
        return m;
    }

    public static void writeListMap(DataOutputView out, Map<String, List<String>> m) throws IOException {
        if (m == null) {
            out.writeByte(0);
            return;
        }
        writeVarInt(out, m.size() + 1);
        for (Map.Entry<String, List<String>> e : m.entrySet()) {
            writeString(out, e.getKey());
            writeList(out, e.getValue());
        }
    }

    public static Map<String, List<String>> readListMap(DataInputView in) throws IOException {
        int n = readVarInt(in) - 1;
        if (n < 0) {
            return null;
        }
        Map<String, List<String>> m = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            m.put(readString(in), readList(in));
        }
        return m;
    }

    public static Map<String, List<String>> copyListMap(Map<String, List<String>> m) {
        if (m == null) {
            return null;
        }
        Map<String, List<String>> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v == null ? null : new ArrayList<>(v)));
        return c;
    }
}
