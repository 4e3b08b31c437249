package io.pgha.chaos;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code pgha chaos cleanup}: undoes what an interrupted run recorded in its undo journal. */
public final class ChaosCleanup {

    private ChaosCleanup() {}

    /** Undoes everything recorded in {@code journalFile}; returns one line saying what happened. */
    public static String run(Path journalFile) {
        if (!Files.exists(journalFile)) {
            return "nothing to undo: " + journalFile + " does not exist";
        }
        UndoJournal journal = UndoJournal.load(journalFile);
        if (journal.empty()) {
            return "nothing to undo in " + journalFile;
        }
        journal.undoAll(new Cgroups(Cgroups.findRoot()));
        return "undone what " + journalFile + " recorded";
    }
}
