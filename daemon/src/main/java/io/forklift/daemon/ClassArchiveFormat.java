package io.forklift.daemon;

import java.nio.file.Path;
import java.util.List;

/**
 * The two kinds of class archive a Forklift JVM starts from: what each file is called, the option that
 * records one as a JVM runs, and the options that make a JVM start from it. A JVM that cannot use an
 * archive says so on stderr and starts without it.
 */
public enum ClassArchiveFormat {
    /**
     * An AppCDS archive (JDK 17–24): the classes parsed ahead. Mapped at the address it was written for:
     * the JDK's default (ArchiveRelocationMode 1) maps it at a random address and relocates every pointer
     * in it, 30 ms of a child's ~130 ms from its start to its hello with JDK 17 on this project's 2-core
     * machine (README, Performance), for a randomized address of class metadata that a JVM running trusted
     * task code does not need. JDK 25 starts as fast either way.
     */
    APP_CDS(".jsa", "-XX:ArchiveClassesAtExit=") {
        @Override
        public List<String> mapping(Path archive) {
            return List.of(
                    "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:ArchiveRelocationMode=0",
                    "-XX:SharedArchiveFile=" + archive);
        }
    },
    /**
     * An AOT cache (JDK 25: made in one training run, JEP 514; started from, JEP 483): the classes loaded
     * and linked ahead. A child's start to its hello took 0.78 times as long as from an AppCDS archive
     * under JDK 17 (README, Performance).
     */
    AOT_CACHE(".aot", "-XX:AOTCacheOutput=") {
        @Override
        public List<String> mapping(Path cache) {
            return List.of("-XX:AOTCache=" + cache);
        }
    };

    private final String extension;
    private final String recordingOption;

    ClassArchiveFormat(String extension, String recordingOption) {
        this.extension = extension;
        this.recordingOption = recordingOption;
    }

    /** The best a JVM of this feature release makes and starts from. */
    public static ClassArchiveFormat of(int javaFeature) {
        return javaFeature >= 25 ? AOT_CACHE : APP_CDS;
    }

    /** The archive in {@code dir} of the JVM that {@code command} starts, named {@code <kind>-<digest>} and the extension. */
    public Path fileOf(Path dir, String kind, List<String> command) {
        return dir.resolve(kind + "-" + ClassArchives.key(command) + extension);
    }

    /** The option that makes a JVM record an archive into {@code recording} (as it exits). */
    public String recording(Path recording) {
        return recordingOption + recording;
    }

    /** The options that make a JVM start from {@code archive}. */
    public abstract List<String> mapping(Path archive);
}
