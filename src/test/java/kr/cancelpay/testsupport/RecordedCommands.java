package kr.cancelpay.testsupport;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.BsonDocument;

/**
 * Every command the application's MongoDB client sends, as the driver sent it. Quarkus registers
 * any {@link CommandListener} implementation with its clients, the reactive one included; this one
 * only keeps copies for the tests that look at the filters the service sends.
 */
public class RecordedCommands implements CommandListener {

    private static final List<BsonDocument> COMMANDS = new CopyOnWriteArrayList<>();

    @Override
    public void commandStarted(CommandStartedEvent event) {
        COMMANDS.add(event.getCommand().clone());
    }

    public static void clear() {
        COMMANDS.clear();
    }

    public static List<BsonDocument> all() {
        return List.copyOf(COMMANDS);
    }
}
