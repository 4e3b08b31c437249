package io.pgha.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "ctl", description = "placeholder")
public final class CtlCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("pgha ctl: not built yet");
        return 2;
    }
}
