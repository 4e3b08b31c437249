package io.pgha.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two {@code pgha local} commands from working on one cluster directory at once (two {@code up}s
 * would start every process twice). An OS file lock on DIR/.lock: released when the holder closes it or exits.
 */
final class DirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails at once naming the directory. */
    static DirLock acquire(Path dir) {
        Path file = dir.resolve(".lock");
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw LocalException.badInput("another pgha local command is working on " + dir + "; try again when it ends");
            }
            return new DirLock(ch, l);
        } catch (IOException e) {
            throw LocalException.badInput("cannot lock " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel or the process anyway
        }
    }
}
