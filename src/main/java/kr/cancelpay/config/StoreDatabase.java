package kr.cancelpay.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Which MongoDB database holds the merchant's collection: {@code quarkus.mongodb.database} when it
 * is set, else the connection string's path ({@code mongodb://host/shop}), else none, and the
 * service refuses to start. There is no default: a default database that the merchant's data is not
 * in answers 404 for every order while readiness says UP.
 */
public final class StoreDatabase {

    public static final String PROPERTY = "quarkus.mongodb.database";
    public static final String CONNECTION_STRING = "quarkus.mongodb.connection-string";

    /** What to say when neither names a database. */
    public static final String MISSING =
            "the database holding the merchant's collection: "
                    + PROPERTY
                    + " (env QUARKUS_MONGODB_DATABASE), or a path in "
                    + CONNECTION_STRING
                    + " (mongodb://host:27017/<database>)";

    /** A database name and the setting it came from, for the start-up log. */
    public record Choice(String name, String from) {}

    private StoreDatabase() {}

    public static Optional<Choice> choose(
            Optional<String> property, Optional<String> connectionString) {
        Optional<String> named = property.map(String::strip).filter(name -> !name.isEmpty());
        if (named.isPresent()) {
            return Optional.of(new Choice(named.get(), PROPERTY));
        }
        return connectionString
                .filter(value -> !value.isBlank())
                .flatMap(StoreDatabase::pathOf)
                .map(name -> new Choice(name, "the path of " + CONNECTION_STRING));
    }

    /** The choice, or the start-up failure that names both settings. */
    public static Choice require(Optional<String> property, Optional<String> connectionString) {
        return choose(property, connectionString)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "cancelpay cannot start: missing required configuration ["
                                                + MISSING
                                                + "]. See README.md, section 'Configuration'."));
    }

    /**
     * The path of {@code mongodb://[user:pass@]hosts/<database>?options}, read without the driver's
     * parser, which looks a {@code mongodb+srv://} host up in DNS on the spot.
     */
    private static Optional<String> pathOf(String connectionString) {
        String value = connectionString.strip();
        String scheme =
                value.startsWith("mongodb://")
                        ? "mongodb://"
                        : value.startsWith("mongodb+srv://") ? "mongodb+srv://" : null;
        if (scheme == null) {
            // The MongoDB client reports it itself (without its value here: it may hold a
            // password).
            return Optional.empty();
        }
        String rest = value.substring(scheme.length());
        int options = rest.indexOf('?');
        String beforeOptions = options < 0 ? rest : rest.substring(0, options);
        // User and password escape their '@' and '/', so the hosts start after the last '@'.
        int slash = beforeOptions.indexOf('/', beforeOptions.lastIndexOf('@') + 1);
        if (slash < 0) {
            return Optional.empty();
        }
        String database =
                URLDecoder.decode(beforeOptions.substring(slash + 1), StandardCharsets.UTF_8);
        return database.isBlank() ? Optional.empty() : Optional.of(database);
    }
}
