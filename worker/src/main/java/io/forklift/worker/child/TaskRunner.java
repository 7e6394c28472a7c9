package io.forklift.worker.child;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.forklift.ProcessInfo;
import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.TaskTypes;
import io.forklift.wire.Json;
import io.forklift.wire.ProcessSpec;
import io.forklift.wire.RemoteError;
import io.forklift.wire.Reply;
import io.forklift.wire.TaskMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Spliterator;

/**
 * Runs tasks inside a child: finds the registered {@link Task} by name through {@link ServiceLoader}
 * (instantiated once, on first use), converts the JSON arguments to its argument type, and turns the
 * return value or the exception into the {@link Reply} its submitter receives.
 */
final class TaskRunner {
    private Throwable damagedBy;
    private final Map<String, ServiceLoader.Provider<Task>> providers = new HashMap<>();
    private final Map<String, Task<Object, Object>> instances = new HashMap<>();
    private final List<String> unloadable = new ArrayList<>();
    private final long pid = ProcessHandle.current().pid();
    private final long parentPid =
            ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L); // the worker daemon
    private final String workerId;
    private final String host;

    TaskRunner(String workerId, String host) {
        this.workerId = workerId;
        this.host = host;
        // A bad line in one jar's services file (a class the jar lacks, no public constructor) must
        // cost that task only: forEach would throw on it and end the child before its hello, so
        // every child would fail to start. Step over such entries one at a time instead.
        Spliterator<ServiceLoader.Provider<Task>> found =
                ServiceLoader.load(Task.class).stream().spliterator();
        while (true) {
            try {
                if (!found.tryAdvance(p -> providers.put(p.type().getName(), p))) break;
            } catch (ServiceConfigurationError e) {
                unloadable.add(e.getMessage());
                System.err.println("skipping a task that cannot be loaded: " + e.getMessage());
            }
        }
    }

    /** The VirtualMachineError a task ended with, after which this JVM should not run another; null if none. */
    Throwable damagedBy() {
        return damagedBy;
    }

    /** Runs one task and returns the reply for its submitter; never throws. */
    Reply run(TaskMessage msg, int attempt) {
        try {
            msg.validate();
            ProcessInfo.enter(processInfo(msg));
            Task<Object, Object> task = instance(msg.task());
            JavaType argType = TaskTypes.of(task.getClass())[0];
            TaskContext ctx = new Context(msg.id(), attempt, msg.queue(), workerId, pid);
            if (!msg.chunked()) {
                return Reply.success(
                        msg.id(),
                        toJson(task.call(Json.MAPPER.convertValue(msg.arg(), argType), ctx)),
                        workerId,
                        host,
                        pid,
                        attempt);
            }
            ArrayNode results = Json.MAPPER.createArrayNode();
            for (JsonNode arg : msg.args()) results.add(toJson(task.call(Json.MAPPER.convertValue(arg, argType), ctx)));
            return Reply.success(msg.id(), results, workerId, host, pid, attempt);
        } catch (Throwable t) {
            // A StackOverflowError or OutOfMemoryError may have left half-done state behind (a failed
            // static initializer, a lock never released), so the child reports it, then retires.
            if (t instanceof VirtualMachineError) damagedBy = t;
            return Reply.failure(msg.id(), RemoteError.of(t), workerId, host, pid, attempt);
        }
    }

    /** current_process() for this run: the Process's own description, or this pool child's. */
    private ProcessInfo processInfo(TaskMessage msg) {
        ProcessSpec p = msg.process();
        if (p == null) return new ProcessInfo("PoolWorker-" + pid, pid, parentPid, host, workerId, false, false);
        return new ProcessInfo(p.name(), pid, p.parentPid(), host, workerId, p.daemon(), true);
    }

    /** A failure reply for {@code msg}'s run, from this child. */
    Reply failure(TaskMessage msg, int attempt, RemoteError error) {
        return Reply.failure(msg.id(), error, workerId, host, pid, attempt);
    }

    @SuppressWarnings("unchecked")
    private Task<Object, Object> instance(String name) {
        Task<Object, Object> task = instances.get(name);
        if (task == null) {
            ServiceLoader.Provider<Task> provider = providers.get(name);
            if (provider == null) {
                throw new IllegalStateException("task '" + name + "' is not registered in this child's class path"
                        + (unloadable.isEmpty() ? "" : "; these entries could not be loaded: " + unloadable));
            }
            task = (Task<Object, Object>) provider.get();
            instances.put(name, task);
        }
        return task;
    }

    private static JsonNode toJson(Object value) {
        JsonNode node = Json.MAPPER.valueToTree(value);
        return node == null ? Json.MAPPER.nullNode() : node;
    }

    private record Context(String taskId, int attempt, String queue, String workerId, long pid)
            implements TaskContext {}
}
