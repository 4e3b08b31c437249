package io.pgha.sim;

/**
 * Runs a range of random schedules and prints the failures and the totals (bench/sim/run.sh).
 * Arguments: first seed, count.
 */
public final class SimBench {
    private SimBench() {}

    public static void main(String[] args) {
        long first = args.length > 0 ? Long.parseLong(args[0]) : 1;
        long count = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        java.io.PrintStream out = System.out;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        long t0 = System.nanoTime();
        long events = 0;
        long virtual = 0;
        long acked = 0;
        int failed = 0;
        for (long seed = first; seed < first + count; seed++) {
            RandomSchedule.Result r = RandomSchedule.run(seed);
            events += r.events();
            virtual += r.virtualNanos();
            acked += r.acknowledged();
            if (!r.ok()) {
                failed++;
                out.println("FAILED " + r.report());
            }
            if ((seed - first + 1) % 10_000 == 0) {
                out.printf("%d schedules, %d failed, %.1f s%n", seed - first + 1, failed, (System.nanoTime() - t0) / 1e9);
            }
        }
        out.printf("%d schedules from seed %d: %d failed; %d events, %.0f virtual hours, %d acknowledged commits; %.1f s%n",
                count, first, failed, events, virtual / 3.6e12, acked, (System.nanoTime() - t0) / 1e9);
        System.exit(failed == 0 ? 0 : 1);
    }
}
