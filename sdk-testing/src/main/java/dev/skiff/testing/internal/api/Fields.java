package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Reads and writes the {@code spec} and {@code status} of any served kind, without knowing the class. */
final class Fields {
    private record Accessors(
            @Nullable MethodHandle getSpec,
            @Nullable MethodHandle setSpec,
            @Nullable MethodHandle getStatus,
            @Nullable MethodHandle setStatus) {}

    private static final ConcurrentHashMap<Class<?>, Accessors> CACHE = new ConcurrentHashMap<>();

    private Fields() {}

    private static Accessors accessors(Class<?> type) {
        return CACHE.computeIfAbsent(type, t -> {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle gs = find(lookup, t, "getSpec");
            MethodHandle gst = find(lookup, t, "getStatus");
            MethodHandle ss =
                    gs == null ? null : setter(lookup, t, "setSpec", gs.type().returnType());
            MethodHandle sst = gst == null
                    ? null
                    : setter(lookup, t, "setStatus", gst.type().returnType());
            return new Accessors(gs, ss, gst, sst);
        });
    }

    private static @Nullable MethodHandle find(MethodHandles.Lookup lookup, Class<?> t, String name) {
        try {
            return lookup.findVirtual(
                    t, name, MethodType.methodType(t.getMethod(name).getReturnType()));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static @Nullable MethodHandle setter(MethodHandles.Lookup lookup, Class<?> t, String name, Class<?> arg) {
        try {
            return lookup.findVirtual(t, name, MethodType.methodType(void.class, arg));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static @Nullable Object spec(HasMetadata o) {
        return invokeGet(accessors(o.getClass()).getSpec(), o);
    }

    static void setSpec(HasMetadata o, @Nullable Object spec) {
        invokeSet(accessors(o.getClass()).setSpec(), o, spec);
    }

    static @Nullable Object status(HasMetadata o) {
        return invokeGet(accessors(o.getClass()).getStatus(), o);
    }

    static void setStatus(HasMetadata o, @Nullable Object status) {
        invokeSet(accessors(o.getClass()).setStatus(), o, status);
    }

    static boolean hasSpec(HasMetadata o) {
        return accessors(o.getClass()).getSpec() != null;
    }

    private static @Nullable Object invokeGet(@Nullable MethodHandle h, HasMetadata o) {
        if (h == null) {
            return null;
        }
        try {
            return h.invoke(o);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void invokeSet(@Nullable MethodHandle h, HasMetadata o, @Nullable Object v) {
        if (h == null) {
            return;
        }
        try {
            h.invoke(o, v);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
