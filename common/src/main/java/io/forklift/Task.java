package io.forklift;

/**
 * A unit of work that worker daemons run in child processes. Implementations are ordinary classes on
 * the worker's class path (or in a jar in its {@code --tasks} folder), listed in
 * {@code META-INF/services/io.forklift.Task}, with a public no-argument constructor. Code never
 * travels through Redis: a task is named by its class's binary name.
 *
 * <p>The argument and the result travel as JSON (Jackson): use records, collections, strings and
 * numbers. One instance serves every task its child runs, one at a time.
 *
 * @param <A> argument type
 * @param <R> result type
 */
@FunctionalInterface
public interface Task<A, R> {
    R call(A arg, TaskContext ctx) throws Exception;
}
