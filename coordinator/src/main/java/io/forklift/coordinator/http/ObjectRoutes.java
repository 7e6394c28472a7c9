package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.ArrayType;
import io.forklift.manager.CallerPipes;
import io.forklift.manager.Manager;
import io.forklift.manager.ObjectKind;
import io.forklift.manager.ObjectStore;
import io.forklift.redis.ObjectReads;
import io.forklift.redis.Redis;
import io.forklift.wire.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Manager object over HTTP, a face on {@link Manager} and nothing more: {@code PUT} opens or
 * makes one by kind (Python's {@code m.Queue(3)}, {@code m.dict()}), {@code GET} shows it, {@code
 * DELETE} removes it, and {@code POST …/{op}} makes one call ({@code put}, {@code get}, {@code set},
 * …) as the object's Java proxy does. Tokens scope objects as {@code <manager>/<object>}; a call that
 * changes an object needs a token that is not read-only. Calls that wait are parked ({@link
 * Parking}): a blocked {@code get} holds no thread and no Redis connection.
 *
 * <p>Locks, semaphores and pipe ends are served with holds the caller names and renews itself
 * ({@link LockOps}, {@link PipeOps}); a barrier's wait is parked as a lock's is ({@link BarrierOps}). The kinds served and their calls are {@link ObjectKinds}'.
 * Processes are not Manager objects: see {@link ProcessRoutes}.
 */
final class ObjectRoutes implements Router.Resource {
    private final ObjectStore store;
    private final ObjectReads reads;
    private final Redis redis;
    private final Parking parking;
    private final Duration maxWait;
    private final ObjectCache cache;

    ObjectRoutes(ObjectStore store, Redis redis, Parking parking, Duration maxWait) {
        this.store = store;
        this.redis = redis;
        this.reads = new ObjectReads(redis);
        this.parking = parking;
        this.maxWait = maxWait;
        this.cache = new ObjectCache(store, redis);
    }

    @Override
    public void register(Router r) {
        String one = "/v1/managers/{manager}/objects/{object}";
        r.get(
                "/v1/managers",
                Access.ANY,
                Doc.of("objects", "The managers that have had objects this token may cover")
                        .returns(200, "Managers"),
                this::managers);
        r.get(
                "/v1/managers/{manager}/objects",
                Access.ANY,
                Doc.of("objects", "The manager's objects this token covers: name, kind, size")
                        .returns(200, "Objects"),
                this::list);
        r.route(
                "PUT",
                one,
                Access.writeObject("manager/object"),
                Doc.of("objects", "Open or make an object of a kind (m.Queue(maxsize), m.dict(), m.Value(initial)…)")
                        .body("ObjectSpec")
                        .returns(200, "Object"),
                this::open);
        r.get(
                one,
                Access.readObject("manager/object"),
                Doc.of("objects", "An object and what it holds").returns(200, "Object"),
                this::show);
        r.delete(
                one,
                Access.writeObject("manager/object"),
                Doc.of("objects", "Delete an object and its contents").returns(200, "Deleted"),
                this::delete);
        r.post(
                one + "/{op}",
                Access.readObject("manager/object"),
                Doc.of("objects", "One call on the object, by Python's name; " + ObjectKinds.describe())
                        .body("ObjectCall")
                        .returns(200, "CallResult"),
                this::call);
    }

    private void managers(Exchange ex) {
        List<String> out = new ArrayList<>();
        for (String m : checked(reads::managers)) {
            boolean covered = ex.principal().objects().stream()
                    .anyMatch(g -> g.equals("*") || g.equals("**") || g.startsWith(m + "/"));
            if (covered) out.add(m);
        }
        ex.json(200, Map.of("managers", out));
    }

    private void list(Exchange ex) {
        String manager = ex.param("manager");
        List<Map<String, Object>> out = new ArrayList<>();
        for (ObjectReads.Listed o :
                reads.list(checked(() -> store.manager(manager)).name())) {
            if (!Principal.matches(ex.principal().objects(), manager + "/" + o.name())) continue;
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", o.name());
            one.put("kind", o.kind());
            one.put("size", o.size());
            one.put("idleSeconds", o.idleSeconds());
            out.add(one);
        }
        ex.json(200, Map.of("manager", manager, "objects", out));
    }

    private void open(Exchange ex) {
        String name = ex.param("object");
        Manager m = checked(() -> store.manager(ex.param("manager")));
        ObjectBody b = ObjectBody.of(ex, maxWait);
        ObjectKind kind = kind(b.text("kind"));
        checked(() -> {
            JsonNode initial = b.optional("initial");
            switch (kind) {
                case QUEUE -> m.queue(name, b.integer("maxsize", 0), JsonNode.class);
                case JOINABLE -> m.joinableQueue(name, b.integer("maxsize", 0), JsonNode.class);
                case DICT -> m.dict(name);
                case LIST -> m.list(name, initial == null ? List.of() : listOf(initial));
                case NAMESPACE -> m.namespace(name);
                case VALUE -> m.value(name, ValueOps.AnyJson.of(b.required("initial")));
                case ARRAY -> m.array(name, typecode(b.text("typecode")), b.integer("size", null));
                case EVENT -> m.event(name);
                case LOCK -> m.lock(name, lease(b));
                case RLOCK -> m.rlock(name, lease(b));
                case SEMAPHORE -> m.semaphore(name, b.integer("value", 1));
                case BOUNDED_SEMAPHORE -> m.boundedSemaphore(name, b.integer("value", 1));
                case BARRIER -> m.barrier(name, b.integer("parties", null));
                case PIPE -> new CallerPipes(m).make(name, b.bool("duplex", true), lease(b));
                default -> throw ApiException.badRequest(kind.wire() + "s are not served over HTTP yet");
            }
            return null;
        });
        show(ex, m, name, kind);
    }

    private void show(Exchange ex) {
        Manager m = checked(() -> store.manager(ex.param("manager")));
        show(ex, m, ex.param("object"), existing(m, ex.param("object")));
    }

    private void show(Exchange ex, Manager m, String name, ObjectKind kind) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("manager", m.name());
        out.put("name", name);
        out.put("kind", kind.wire());
        ObjectBody none = new ObjectBody(Json.MAPPER.createObjectNode(), maxWait);
        if (ObjectKinds.ops(kind) != null) {
            Object held =
                    checked(stale(m, name, () -> ObjectKinds.show(kind).call().call(cache.of(m.name()), name, none)));
            ((Map<?, ?>) held).forEach((k, v) -> out.put(String.valueOf(k), v));
        }
        ex.json(200, out);
    }

    private void delete(Exchange ex) {
        Manager m = checked(() -> store.manager(ex.param("manager")));
        boolean deleted = checked(() -> m.delete(ex.param("object")));
        cache.forget(m.name(), ex.param("object"));
        ex.json(200, Map.of("deleted", deleted));
    }

    private void call(Exchange ex) {
        Manager m = checked(() -> store.manager(ex.param("manager")));
        String name = ex.param("object"), opName = ex.param("op");
        ObjectKind kind = existing(m, name);
        Map<String, ObjectOp> ops = ObjectKinds.ops(kind);
        if (ops == null) throw ApiException.badRequest(kind.wire() + "s are not served over HTTP yet");
        ObjectOp op = ops.get(opName);
        if (op == null) {
            throw new ApiException(
                    404,
                    "no_such_call",
                    "a " + kind.wire() + " has no call '" + opName + "'; it has " + String.join(", ", ops.keySet()),
                    Map.of("calls", List.copyOf(ops.keySet())));
        }
        if (op.write()) ex.principal().writeObject(m.name() + "/" + name);
        ObjectBody body = ObjectBody.of(ex, maxWait);
        if (op.park() != null) {
            park(ex, m, name, op.park(), body);
            return;
        }
        Checked<Object> run = stale(m, name, () -> op.call().call(cache.of(m.name()), name, body));
        ex.json(200, checked(run));
    }

    /** Parks a call that waits: the object is opened (and its errors answered) before it waits. */
    private void park(Exchange ex, Manager m, String name, ObjectOp.Park park, ObjectBody body) {
        ObjectOp.Where where = new ObjectOp.Where(redis.keys().object(m.name(), name), reads);
        ParkedCall.Wait wait = checked(stale(m, name, () -> park.open(cache.of(m.name()), name, body, where)));
        parking.start(ex, wait.around(call -> stale(m, name, call)));
    }

    /** {@code call}, dropping the cached proxy when it throws because the object was deleted or remade. */
    private <T> Checked<T> stale(Manager m, String name, Checked<T> call) {
        return () -> {
            try {
                return call.get();
            } catch (Exception e) {
                if (ObjectCache.stale(e)) cache.forget(m.name(), name);
                throw e;
            }
        };
    }

    /** The kind of an existing object; a 404 saying how to make one when there is none. */
    private ObjectKind existing(Manager m, String name) {
        String kind = checked(() -> reads.hget(redis.keys().managerObjects(m.name()), name));
        if (kind == null) {
            throw new ApiException(
                    404,
                    "no_object",
                    "manager '" + m.name() + "' has no object '" + name + "'; make one with PUT /v1/managers/"
                            + m.name() + "/objects/" + name + " {\"kind\": \"queue\"}");
        }
        return ObjectKind.of(kind);
    }

    private static ObjectKind kind(String wire) {
        try {
            return ObjectKind.of(wire);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("kind: " + e.getMessage());
        }
    }

    /** A lock's lease in seconds ({@code "lease": 6}); Java's default when absent. */
    private static Duration lease(ObjectBody b) {
        JsonNode v = b.optional("lease");
        if (v == null || v.isNull()) return ObjectStore.DEFAULT_LEASE;
        if (!v.isNumber() || v.doubleValue() < 0.1 || v.doubleValue() > 3600)
            throw ApiException.badRequest("'lease' must be seconds from 0.1 to 3600, got " + v);
        return Duration.ofMillis((long) (v.doubleValue() * 1000));
    }

    private static ArrayType typecode(String code) {
        if (code.length() != 1) throw ApiException.badRequest("typecode must be one letter of b h i l q f d");
        return ArrayType.of(code.charAt(0));
    }

    private static List<JsonNode> listOf(JsonNode initial) {
        if (!initial.isArray()) throw ApiException.badRequest("a list's 'initial' must be a JSON array");
        List<JsonNode> all = new ArrayList<>();
        initial.forEach(all::add);
        return all;
    }

    @FunctionalInterface
    interface Checked<T> {
        T get() throws Exception;
    }

    /** Runs a Manager call, answering what it throws as the Manager means it ({@link ObjectErrors}). */
    static <T> T checked(Checked<T> call) {
        try {
            return call.get();
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw ObjectErrors.toApi(e);
        }
    }
}
