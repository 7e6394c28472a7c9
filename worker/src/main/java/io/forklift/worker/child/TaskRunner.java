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
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs tasks inside a child: loads the {@link Task} a message names, if the worker's task catalog
 * holds the name (instantiated once, on first use), converts the JSON arguments to its argument type,
 * and turns the return value or the exception into the {@link Reply} its submitter receives. The
 * worker found the tasks already (its {@code TaskCatalog} reads the services lists), so a child does
 * not search the class path for them: that search opens every jar, most of a child's start.
 */
final class TaskRunner {
    private Throwable damagedBy;
    private final Set<String> catalog;
    private final Map<String, Task<Object, Object>> instances = new HashMap<>();
    private final long pid = ProcessHandle.current().pid();
    private final long parentPid =
            ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L); // the worker daemon
    private final String workerId;
    private final String host;

    /** Runs the tasks named in {@code catalog}, the worker's. */
    TaskRunner(String workerId, String host, Set<String> catalog) {
        this.workerId = workerId;
        this.host = host;
        this.catalog = Set.copyOf(catalog);
    }

    /**
     * Loads the catalog's classes without running any of their code, once the child is set up: the
     * class archive's training child puts them in the archive this way, and every child then maps them
     * from it, so a task's first run (a Process's, in a fresh child) does not read its class from a jar.
     * A class that cannot load fails its own calls later, saying why.
     */
    void preload() {
        for (String name : catalog) {
            try {
                taskClass(name);
            } catch (IllegalStateException e) {
                // the task's first call reports it
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
            if (!catalog.contains(name)) {
                throw new IllegalStateException("task '" + name + "' is not registered with this worker (a line in"
                        + " META-INF/services/io.forklift.Task of its class path or tasks folder)");
            }
            try {
                task = (Task<Object, Object>) taskClass(name).getConstructor().newInstance();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(
                        "task '" + name + "' could not be created: its constructor threw " + e.getCause(),
                        e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(
                        "task '" + name + "' could not be created: a task needs to be a public"
                                + " class with a public constructor without arguments (" + e + ")",
                        e);
            }
            instances.put(name, task);
        }
        return task;
    }

    /** The class of a registered task, loaded without running any of its code: that waits for {@link #instance}. */
    private static Class<?> taskClass(String name) {
        Class<?> type;
        try {
            type = Class.forName(name, false, TaskRunner.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(
                    "task '" + name + "' is registered but could not be loaded in this child: " + e, e);
        }
        if (!Task.class.isAssignableFrom(type)) {
            throw new IllegalStateException(
                    "task '" + name + "' is registered but does not implement " + Task.class.getName());
        }
        return type;
    }

    private static JsonNode toJson(Object value) {
        JsonNode node = Json.MAPPER.valueToTree(value);
        return node == null ? Json.MAPPER.nullNode() : node;
    }

    private record Context(String taskId, int attempt, String queue, String workerId, long pid)
            implements TaskContext {}
}
