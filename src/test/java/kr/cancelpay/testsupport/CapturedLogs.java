package kr.cancelpay.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The log lines one class of the application writes while a @QuarkusTest runs (in-process only): a
 * handler on its logger, removed on {@link #close}. Each line keeps its level, its formatted
 * message and its MDC fields (what the JSON log of production shows as {@code mdc.*}).
 */
public final class CapturedLogs implements AutoCloseable {

    /** One captured line. */
    public record Line(Level level, String message, Map<String, String> mdc) {}

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler handler =
            new Handler() {
                @Override
                public void publish(LogRecord record) {
                    if (record instanceof ExtLogRecord ext) {
                        lines.add(
                                new Line(
                                        record.getLevel(),
                                        ext.getFormattedMessage(),
                                        Map.copyOf(ext.getMdcCopy())));
                    } else {
                        lines.add(new Line(record.getLevel(), record.getMessage(), Map.of()));
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    private CapturedLogs(String name) {
        this.logger = Logger.getLogger(name);
        logger.addHandler(handler);
    }

    /**
     * Starts capturing what the logger named {@code name} writes (a class name, for package-private
     * classes).
     */
    public static CapturedLogs of(String name) {
        return new CapturedLogs(name);
    }

    /** Starts capturing what {@code type}'s logger writes. */
    public static CapturedLogs of(Class<?> type) {
        return new CapturedLogs(type.getName());
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines whose message contains {@code text}. */
    public List<Line> containing(String text) {
        return lines.stream().filter(line -> line.message().contains(text)).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
