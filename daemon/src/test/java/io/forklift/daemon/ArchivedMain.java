package io.forklift.daemon;

/** The main class of the JVMs {@link WorkerArchiveIT} starts from a jar: exits at once, or blocks on stdin until killed. */
public final class ArchivedMain {
    private ArchivedMain() {}

    public static void main(String[] args) throws java.io.IOException {
        System.out.println("started " + ArchivedMain.class.getName());
        if (args.length > 0 && args[0].equals("wait")) System.in.read(); // the test kills it meanwhile
    }
}
