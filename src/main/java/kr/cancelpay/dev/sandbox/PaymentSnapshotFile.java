package kr.cancelpay.dev.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The dev-mode persistence file: a JSON array of payments. Written atomically (temp file + move) so
 * a crash or a concurrent reader never sees half a file.
 */
final class PaymentSnapshotFile {

    private static final TypeReference<List<SandboxPayment>> PAYMENTS = new TypeReference<>() {};

    private final Path file;

    PaymentSnapshotFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    Path path() {
        return file;
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    List<SandboxPayment> read() {
        try {
            List<SandboxPayment> payments = SandboxJson.MAPPER.readValue(file.toFile(), PAYMENTS);
            return payments == null ? List.of() : payments;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox payments from " + file, e);
        }
    }

    void write(List<SandboxPayment> payments) {
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                SandboxJson.MAPPER
                        .writerWithDefaultPrettyPrinter()
                        .writeValue(temp.toFile(), payments);
                move(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sandbox payments to " + file, e);
        }
    }

    private void move(Path temp) throws IOException {
        try {
            Files.move(
                    temp,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
