package dev.skiff.testing.internal.http;

import dev.skiff.core.internal.validation.Quantities;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The quantity check of the API server's decoder: a body with a quantity Go's {@code
 * resource.ParseQuantity} rejects (such as {@code cpu: 1.5cores}) is answered {@code 400
 * BadRequest} before admission and validation. fabric8 decodes any text into a {@link Quantity},
 * so the decoded object is searched for them.
 */
final class QuantityDecoding {
    private QuantityDecoding() {}

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    /** Per model class, the fields that may hold a quantity somewhere below them. */
    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && mayHoldQuantity(f.getType())) {
                        f.setAccessible(true);
                        fields.add(f);
                    }
                }
            }
            return List.copyOf(fields);
        }
    };

    /** Returns the decoder's error for the first bad quantity in {@code object}, or {@code null}. */
    static @Nullable String firstError(Object object) {
        return walk(object, 0);
    }

    private static @Nullable String walk(@Nullable Object o, int depth) {
        if (o == null || depth > 64) {
            return null;
        }
        if (o instanceof Quantity q) {
            return Quantities.decodingError(Quantities.text(q));
        }
        if (o instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                String e = walk(v, depth + 1);
                if (e != null) {
                    return e;
                }
            }
            return null;
        }
        if (o instanceof Collection<?> items) {
            for (Object v : items) {
                String e = walk(v, depth + 1);
                if (e != null) {
                    return e;
                }
            }
            return null;
        }
        if (!o.getClass().getName().startsWith(MODEL_PACKAGE)) {
            return null;
        }
        for (Field f : FIELDS.get(o.getClass())) {
            Object v;
            try {
                v = f.get(o);
            } catch (IllegalAccessException e) {
                continue;
            }
            String err = walk(v, depth + 1);
            if (err != null) {
                return err;
            }
        }
        return null;
    }

    private static boolean mayHoldQuantity(Class<?> type) {
        if (type == Quantity.class || Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
            return true;
        }
        return !type.isPrimitive() && !type.isEnum() && type.getName().startsWith(MODEL_PACKAGE);
    }
}
