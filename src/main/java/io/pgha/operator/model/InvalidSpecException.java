package io.pgha.operator.model;

import java.util.List;

/**
 * The spec cannot be turned into a cluster. Each problem names the field, so the status condition tells
 * the user exactly what to fix.
 */
public final class InvalidSpecException extends RuntimeException {

    private final List<String> problems;

    public InvalidSpecException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
