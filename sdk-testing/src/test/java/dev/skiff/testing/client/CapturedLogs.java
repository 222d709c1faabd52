package dev.skiff.testing.client;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures what slf4j-simple (the test binding) writes to {@code System.err} while open, with
 * Skiff's loggers ({@code dev.skiff...}) at DEBUG; restores both on {@link #close()}.
 *
 * <p>slf4j-simple has no API to change a level at run time: loggers created from now on read the
 * {@code org.slf4j.simpleLogger.log.dev.skiff} property, and those created earlier (by other tests in
 * the same JVM) get their level field set.
 */
final class CapturedLogs implements AutoCloseable {
    private static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.dev.skiff";
    private static final int DEBUG = 10; // SimpleLogger.LOG_LEVEL_DEBUG

    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final String originalProperty = System.getProperty(LEVEL_PROPERTY);
    private final Map<Logger, Integer> originalLevels = new HashMap<>();

    CapturedLogs() {
        System.setProperty(LEVEL_PROPERTY, "debug");
        for (Logger logger : existingSkiffLoggers()) {
            originalLevels.put(logger, level(logger));
            setLevel(logger, DEBUG);
        }
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (buffer) {
                    buffer.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (buffer) {
                    buffer.write(b, off, len);
                }
            }
        };
        System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
        if (!LoggerFactory.getLogger("dev.skiff.testing.client.CapturedLogs").isDebugEnabled()) {
            throw new IllegalStateException("slf4j-simple did not take the DEBUG level for dev.skiff");
        }
    }

    /** Returns what was written so far. */
    String text() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setErr(originalErr);
        if (originalProperty == null) {
            System.clearProperty(LEVEL_PROPERTY);
        } else {
            System.setProperty(LEVEL_PROPERTY, originalProperty);
        }
        originalLevels.forEach(CapturedLogs::setLevel);
    }

    @SuppressWarnings("unchecked")
    private static Iterable<Logger> existingSkiffLoggers() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        try {
            Field map = factory.getClass().getDeclaredField("loggerMap");
            map.setAccessible(true);
            Map<String, Logger> loggers = (Map<String, Logger>) map.get(factory);
            return loggers.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("dev.skiff"))
                    .map(Map.Entry::getValue)
                    .toList();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not slf4j-simple's logger factory: " + factory.getClass(), e);
        }
    }

    private static Field levelField(Logger logger) throws NoSuchFieldException {
        Field f = logger.getClass().getDeclaredField("currentLogLevel");
        f.setAccessible(true);
        return f;
    }

    private static int level(Logger logger) {
        try {
            return levelField(logger).getInt(logger);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not an slf4j-simple logger: " + logger.getClass(), e);
        }
    }

    private static void setLevel(Logger logger, int level) {
        try {
            levelField(logger).setInt(logger, level);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not an slf4j-simple logger: " + logger.getClass(), e);
        }
    }
}
