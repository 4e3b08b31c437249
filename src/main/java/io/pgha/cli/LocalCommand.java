package io.pgha.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "local", description = "placeholder")
public final class LocalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("pgha local: not built yet");
        return 2;
    }
}
