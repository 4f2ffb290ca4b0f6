package kr.cancelpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where the database's name comes from: the key, else the connection string's path, else none. */
class StoreDatabaseTest {

    static Stream<Arguments> cases() {
        String key = StoreDatabase.PROPERTY;
        String path = "the path of " + StoreDatabase.CONNECTION_STRING;
        return Stream.of(
                // property, connection string, expected name (null: none), from
                Arguments.of("shop", "mongodb://h:27017", "shop", key),
                Arguments.of("shop", null, "shop", key),
                Arguments.of(" shop ", "mongodb://h/other", "shop", key),
                // The key wins over the path, which is often the authentication database.
                Arguments.of("shop", "mongodb://u:p@h/admin?authSource=admin", "shop", key),
                Arguments.of(null, "mongodb://h:27017/shop", "shop", path),
                Arguments.of("", "mongodb://u:p@h1,h2,h3/shop?replicaSet=rs0", "shop", path),
                Arguments.of(
                        "  ",
                        "mongodb+srv://u:p@cluster.example/shop?retryWrites=true",
                        "shop",
                        path),
                Arguments.of(null, "mongodb://h:27017", null, null),
                Arguments.of(null, "mongodb://h:27017/", null, null),
                Arguments.of(null, "mongodb://u:p%40ss%2Fw@h:27017/sh%6Fp?w=1", "shop", path),
                Arguments.of(null, "mongodb://u:p@h:27017?authSource=shop", null, null),
                Arguments.of(null, "mongodb://h:27017/?replicaSet=rs0", null, null),
                Arguments.of(null, "not a connection string/shop", null, null),
                Arguments.of(null, "", null, null),
                Arguments.of(null, null, null, null));
    }

    @ParameterizedTest(name = "database={0}, connection string={1} -> {2}")
    @MethodSource("cases")
    void theKeyThenTheConnectionStringsPathThenNothing(
            String property, String connectionString, String name, String from) {
        Optional<StoreDatabase.Choice> choice =
                StoreDatabase.choose(
                        Optional.ofNullable(property), Optional.ofNullable(connectionString));
        assertEquals(Optional.ofNullable(name).map(n -> new StoreDatabase.Choice(n, from)), choice);
    }

    @ParameterizedTest(name = "database={0}, connection string={1} -> {2}")
    @MethodSource("cases")
    void withoutADatabaseTheStartUpFailsNamingBothSettings(
            String property, String connectionString, String name, String from) {
        if (name != null) {
            assertEquals(
                    name,
                    StoreDatabase.require(
                                    Optional.ofNullable(property),
                                    Optional.ofNullable(connectionString))
                            .name());
            return;
        }
        IllegalStateException refused =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                StoreDatabase.require(
                                        Optional.ofNullable(property),
                                        Optional.ofNullable(connectionString)));
        assertTrue(refused.getMessage().startsWith("cancelpay cannot start"), refused.getMessage());
        assertTrue(refused.getMessage().contains("quarkus.mongodb.database"), refused.getMessage());
        assertTrue(refused.getMessage().contains("QUARKUS_MONGODB_DATABASE"), refused.getMessage());
        assertTrue(
                refused.getMessage().contains("path in quarkus.mongodb.connection-string"),
                refused.getMessage());
    }
}
