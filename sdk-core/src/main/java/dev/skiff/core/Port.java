package dev.skiff.core;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * A network port a container listens on.
 *
 * <pre>{@code
 * Port.of(8888);
 * Port.of("jupyter", 8888);
 * }</pre>
 */
@Value.Immutable
public abstract class Port {
    Port() {}

    /** Transport protocols. */
    public enum Protocol {
        /** TCP, the default. */
        TCP,
        /** UDP. */
        UDP,
        /** SCTP. */
        SCTP
    }

    /** Returns the port's name (an IANA service name, at most 15 characters), if any. */
    public abstract Optional<String> name();

    /** Returns the port number, 1 to 65535. */
    public abstract int number();

    /** Returns the protocol; TCP by default. */
    @Value.Default
    public Protocol protocol() {
        return Protocol.TCP;
    }

    /**
     * An unnamed TCP port.
     *
     * @param number the port number
     * @return the port
     */
    public static Port of(int number) {
        return ImmutablePort.builder().number(number).build();
    }

    /**
     * A named TCP port.
     *
     * @param name the port's name
     * @param number the port number
     * @return the port
     */
    public static Port of(String name, int number) {
        return ImmutablePort.builder().name(name).number(number).build();
    }

    /**
     * Returns a copy using {@code protocol}.
     *
     * @param protocol the protocol
     * @return the copy
     */
    public Port withProtocol(Protocol protocol) {
        return ImmutablePort.builder().from(this).protocol(protocol).build();
    }
}
