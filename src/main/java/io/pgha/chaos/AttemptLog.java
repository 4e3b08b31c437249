package io.pgha.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every write attempt of the writer and the probers, in memory for the checks and as JSON lines in a file
 * (attempts.jsonl) for a later look. Thread-safe.
 */
final class AttemptLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Attempt> attempts = new ArrayList<>();
    private final BufferedWriter file;

    AttemptLog(Path file) {
        try {
            this.file = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    synchronized void add(Attempt a) {
        attempts.add(a);
        try {
            file.write(JSON.writeValueAsString(a));
            file.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the attempt log", e);
        }
    }

    synchronized List<Attempt> all() {
        return List.copyOf(attempts);
    }

    synchronized List<Attempt> matching(Predicate<Attempt> p) {
        return attempts.stream().filter(p).toList();
    }

    /** True once an attempt matching {@code p} was recorded (scans from the newest). */
    synchronized boolean any(Predicate<Attempt> p) {
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (p.test(attempts.get(i))) {
                return true;
            }
        }
        return false;
    }

    synchronized void flush() {
        try {
            file.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush the attempt log", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the attempt log", e);
        }
    }
}
