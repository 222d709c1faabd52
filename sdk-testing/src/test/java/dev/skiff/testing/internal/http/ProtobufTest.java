package dev.skiff.testing.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ProtobufTest {
    @Test
    void readsTheNamespaceKubectlCreateSends() {
        // the body of `kubectl create namespace foo` (kubectl 1.32), as it went over the wire
        byte[] body = HexFormat.of()
                .parseHex("6b3873000a0f0a02763112094e616d657370616365121b0a130a03666f6f12001a0022002a0032003800"
                        + "420012001a020a001a002200");

        assertThat(Protobuf.toJson(body).toString())
                .isEqualTo(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"foo\"},\"spec\":{}}");
    }

    @Test
    void keepsZeroValuesOfPointerFieldsOnly() {
        // Job{metadata{name "j", generation 0}, spec{parallelism 0, suspend false}}
        byte[] job = HexFormat.of().parseHex("0a050a016a3800" + "12040800" + "5000");
        byte[] body = envelope("batch/v1", "Job", job);

        assertThat(Protobuf.toJson(body).toString())
                .isEqualTo("{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"j\"},"
                        + "\"spec\":{\"parallelism\":0,\"suspend\":false}}");
    }

    @Test
    void rejectsAFieldItDoesNotKnow() {
        // Job{metadata{field 99: ""}}
        byte[] job = HexFormat.of().parseHex("0a039a0600");

        assertThatThrownBy(() -> Protobuf.toJson(envelope("batch/v1", "Job", job)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 99 of protobuf message ObjectMeta is not understood");
    }

    @Test
    void rejectsBodiesWithoutThePrefix() {
        assertThatThrownBy(() -> Protobuf.toJson("{}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix");
    }

    private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
        byte[] typeMeta = concat(field(1, apiVersion.getBytes()), field(2, kind.getBytes()));
        return concat(new byte[] {'k', '8', 's', 0}, field(1, typeMeta), field(2, raw));
    }

    private static byte[] field(int number, byte[] value) {
        return concat(new byte[] {(byte) (number << 3 | 2), (byte) value.length}, value);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
