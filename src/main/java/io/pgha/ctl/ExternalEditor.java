package io.pgha.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** edit-config without -s/-p/--apply/--replace: the YAML in a temporary file, opened in the user's editor. */
public final class ExternalEditor implements EditConfig.Editor {
    private final String command;

    /** @param command $EDITOR, or an editor found on the PATH; null when there is none */
    public ExternalEditor(String command) {
        this.command = command;
    }

    @Override
    public String edit(String yaml, String scope) {
        if (command == null || command.isBlank()) {
            throw new CtlException("EDITOR environment variable is not set. editor or vi are not available");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(scope + "-config-", ".yaml");
            Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
            int rc = new ProcessBuilder(List.of(command, tmp.toString())).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new CtlException("Editor exited with return code " + rc);
            }
            return Files.readString(tmp, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CtlException("cannot run the editor " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted while the editor ran");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left in /tmp is not worth failing the edit for
                }
            }
        }
    }
}
