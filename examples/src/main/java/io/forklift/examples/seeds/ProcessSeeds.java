package io.forklift.examples.seeds;

import io.forklift.Forklift;
import io.forklift.ForkliftProcess;
import java.io.PrintStream;

/**
 * The seeds' {@code Process} examples, ported line for line: {@code f('bob')}, {@code info()} in the
 * parent and the child, {@code terminate()} ending with exit code -15, and a daemonic child that ends
 * with its parent while a non-daemonic one finishes. Each Process runs in a fresh JVM on a worker;
 * what it prints appears here, prefixed with its name, pid and host.
 */
public final class ProcessSeeds {
    /** What the examples saw, for a test to check. */
    public record Results(int helloExit, int infoExit, int terminatedExit, int daemonicExit, int steadyExit) {}

    private ProcessSeeds() {}

    public static Results run(Forklift fl, PrintStream out) throws Exception {
        // p = Process(target=f, args=('bob',)); p.start(); p.join()
        ForkliftProcess p = fl.process(Hello.class, "bob").start();
        p.join();

        // info('main line'); p = Process(target=f, args=('bob',)); ...
        Info.info(out, "main line", Forklift.currentProcess());
        ForkliftProcess withInfo = fl.process(Info.class, "bob").start();
        withInfo.join();

        // p = Process(target=time.sleep, args=(1000,)); print(p, p.is_alive()); p.start(); ... p.terminate()
        ForkliftProcess sleeper = fl.process(Sleep.class, 1000);
        out.println(sleeper + " " + sleeper.isAlive());
        sleeper.start();
        out.println(sleeper + " " + sleeper.isAlive());
        sleeper.terminate();
        sleeper.join();
        out.println(sleeper + " " + sleeper.isAlive());
        out.println("p.exitcode == -signal.SIGTERM: " + (sleeper.exitCode() == -15));

        // A parent with a daemonic child and a non-daemonic one exits: the daemon ends with it.
        ForkliftProcess daemonic;
        ForkliftProcess steady;
        try (Forklift parent = Forklift.connect(fl.options())) {
            daemonic = parent.process(Sleep.class, 1000)
                    .name("daemonic")
                    .daemon(true)
                    .start();
            steady = parent.process(Hello.class, "from the non-daemonic child")
                    .name("steady")
                    .start();
        } // the parent exits: it joins 'steady' and terminates 'daemonic', as Python does at exit
        out.println("after the parent exited: " + daemonic + ", " + steady);
        return new Results(
                p.exitCode(), withInfo.exitCode(), sleeper.exitCode(), daemonic.exitCode(), steady.exitCode());
    }
}
