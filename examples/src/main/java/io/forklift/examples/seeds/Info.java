package io.forklift.examples.seeds;

import io.forklift.ProcessInfo;
import io.forklift.Task;
import io.forklift.TaskContext;
import java.io.PrintStream;

/** Python's {@code f(name)}, which calls {@code info('function f')} before saying hello. */
public final class Info implements Task<String, Void> {
    @Override
    public Void call(String name, TaskContext ctx) {
        info(System.out, "function f", ctx.process());
        System.out.println("hello " + name);
        return null;
    }

    /** Python's {@code info(title)}: the module (here the class), the parent's pid and this pid. */
    static void info(PrintStream out, String title, ProcessInfo self) {
        out.println(title);
        out.println("module name: " + Info.class.getName());
        out.println("parent process: " + self.parentPid());
        out.println("process id: " + self.pid());
    }
}
