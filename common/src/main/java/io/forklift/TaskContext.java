package io.forklift;

/** What a running task may know about itself and where it runs. */
public interface TaskContext {
    String taskId();

    /** 1 for the first run; more when the task is run again after a lost worker or a retry. */
    int attempt();

    String queue();

    /** The worker daemon that runs this task. */
    String workerId();

    /** The process id of the child process that runs this task. */
    long pid();

    /** Python's {@code current_process()}: name, pids, host, worker, daemon flag, Process or pool task. */
    default ProcessInfo process() {
        return ProcessInfo.current();
    }
}
