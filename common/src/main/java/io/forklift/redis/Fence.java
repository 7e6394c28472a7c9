package io.forklift.redis;

/**
 * A fencing token a write carries: the lock that guards it and the token its holder got. The
 * object's script refuses the write when it has seen a higher token of that lock (FENCED). Writes
 * of dict, namespace, list, value and array take one; {@code null} means an unguarded write.
 */
public record Fence(String lock, long token) {
    static void add(java.util.List<String> args, Fence fence) {
        args.add(fence == null ? "" : fence.lock());
        args.add(fence == null ? "" : Long.toString(fence.token()));
    }
}
