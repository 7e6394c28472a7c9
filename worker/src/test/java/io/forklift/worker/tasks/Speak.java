package io.forklift.worker.tasks;

import io.forklift.ProcessInfo;
import io.forklift.Task;
import io.forklift.TaskContext;

/**
 * Prints {@code lines} numbered lines to System.out ({@code "line <n>"}), then one to System.err
 * ({@code "to stderr"}), then sleeps {@code millis}; with {@code whoami} it first prints what
 * current_process() says. Returns the number of lines printed.
 */
public final class Speak implements Task<Speak.Plan, Integer> {
    public record Plan(int lines, long millis, boolean whoami) {}

    @Override
    public Integer call(Plan plan, TaskContext ctx) throws InterruptedException {
        if (plan.whoami()) {
            ProcessInfo p = ctx.process();
            System.out.println("whoami name=" + p.name() + " pid=" + p.pid() + " ppid=" + p.parentPid() + " daemon="
                    + p.daemon() + " process=" + p.isProcess() + " worker=" + p.workerId());
        }
        for (int i = 0; i < plan.lines(); i++) System.out.println("line " + i);
        System.err.println("to stderr");
        Thread.sleep(plan.millis());
        return plan.lines();
    }
}
