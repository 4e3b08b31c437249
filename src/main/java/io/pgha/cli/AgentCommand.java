package io.pgha.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "agent", description = "placeholder")
public final class AgentCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("pgha agent: not built yet");
        return 2;
    }
}
