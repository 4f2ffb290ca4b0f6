package kr.cancelpay.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every path the static handler can answer with a file of the page: {@code /} and each file under
 * {@code src/main/resources/META-INF/resources}, read from the source tree so that a file added
 * later is covered by the switch's tests without anyone listing it.
 */
final class RefundPageFiles {

    static final Path ROOT = Path.of("src/main/resources/META-INF/resources");

    private RefundPageFiles() {}

    static List<String> paths() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return Stream.concat(
                            Stream.of("/"),
                            files.filter(Files::isRegularFile)
                                    .map(file -> "/" + ROOT.relativize(file).toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
