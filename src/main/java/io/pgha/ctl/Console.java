package io.pgha.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The terminal of one ctl run: normal output, failure lines (stderr; any of them makes the exit code
 * non-zero, where patronictl printed them on stdout and exited 0) and click-style prompts on stdin.
 */
public class Console {
    private final PrintStream out;
    private final PrintStream err;
    private final BufferedReader in;
    private boolean failed;

    public Console(InputStream in, PrintStream out, PrintStream err) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.err = err;
    }

    public void println(String line) {
        out.println(line);
        out.flush();
    }

    /** Text that already ends with its newline (tables). */
    public void print(String text) {
        out.print(text);
        out.flush();
    }

    /** A line saying something did not work; the command goes on but ends with a non-zero exit code. */
    public void fail(String line) {
        failed = true;
        err.println(line);
        err.flush();
    }

    public void warn(String line) {
        err.println(line);
        err.flush();
    }

    public boolean failed() {
        return failed;
    }

    /** "text [default]: "; an empty answer takes the default. End of input aborts, like click. */
    public String prompt(String text, String defaultValue) {
        out.print(text + (defaultValue == null ? "" : " [" + defaultValue + "]") + ": ");
        out.flush();
        String line = readLine();
        return line.isEmpty() && defaultValue != null ? defaultValue : line;
    }

    /** "text [y/N]: " until the answer is yes or no; empty means no. */
    public boolean confirm(String text) {
        while (true) {
            out.print(text + " [y/N]: ");
            out.flush();
            String a = readLine().trim().toLowerCase();
            if (a.isEmpty() || a.equals("n") || a.equals("no")) {
                return false;
            }
            if (a.equals("y") || a.equals("yes")) {
                return true;
            }
            out.println("Error: invalid input");
        }
    }

    private String readLine() {
        try {
            String line = in.readLine();
            if (line == null) {
                out.println();
                throw new CtlException("Aborted!");
            }
            return line;
        } catch (IOException e) {
            throw new CtlException("cannot read the answer: " + e.getMessage());
        }
    }
}
