package io.forklift.daemon;

/** The main class of the JVMs {@link WorkerArchiveIT} starts from a jar: exits at once, or waits to be killed. */
public final class ArchivedMain {
    private ArchivedMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("started " + ArchivedMain.class.getName());
        if (args.length > 0 && args[0].equals("wait")) Thread.sleep(60_000);
    }
}
