package io.forklift.redis;

import java.util.List;

/**
 * The keys of one shared object of a manager. All carry the hash tag {@code {m:<manager>/<name>}},
 * so every script of the object touches one slot. Built by {@link Keys#object}; KEYS.md lists them.
 */
public record ObjectKeys(String base) {
    public String meta() {
        return base + "meta";
    }

    public String items() {
        return base + "items";
    }

    public String takers() {
        return base + "takers";
    }

    /** Prefix of the processing lists, one per take call: {@code taking:<taker>}. */
    public String takingPrefix() {
        return base + "taking:";
    }

    public String taking(String taker) {
        return takingPrefix() + taker;
    }

    public String room() {
        return base + "room";
    }

    public String done() {
        return base + "done";
    }

    public String hash() {
        return base + "hash";
    }

    public String list() {
        return base + "list";
    }

    public String value() {
        return base + "value";
    }

    public String flag() {
        return base + "set";
    }

    public String fences() {
        return base + "fences";
    }

    public String holds() {
        return base + "holds";
    }

    /** A lock's fencing counter: only grows, and outlives the lock's deletion. */
    public String fence() {
        return base + "fence";
    }

    /** A lock's holds: holder -> lease deadline (ms). */
    public String holders() {
        return base + "holders";
    }

    public String owned() {
        return base + "owned";
    }

    /** A lock's waiters, first come first served. */
    public String line() {
        return base + "line";
    }

    public String waiting() {
        return base + "waiting";
    }

    public String waits() {
        return base + "waits";
    }

    /** Objects written with this lock's fences, which each new holder publishes its fence into. */
    public String guards() {
        return base + "guards";
    }

    /** A waiter's wake list: its grant is pushed there. */
    public String woken(String waiter) {
        return base + "woken:" + waiter;
    }

    /** The waiters of a lock's condition {@code name}, in the order they began to wait. */
    public String cond(String name) {
        return base + "cond:" + name;
    }

    /** The keys every lock script takes, in the order of includes/lock_line.lua. */
    public List<String> lockKeys() {
        return List.of(meta(), fence(), holders(), owned(), line(), waiting(), waits(), guards());
    }

    /** A pipe end's inbox: messages sent to {@code side}. */
    public String inbox(String side) {
        return base + "to:" + side;
    }

    /** A pipe end's wake list: tokens for a poll, and the end of stream, at {@code side}. */
    public String wake(String side) {
        return base + "wake:" + side;
    }

    /** Every key an object of any kind may have but the processing lists, for deletion. */
    List<String> all() {
        return List.of(
                meta(),
                takers(),
                items(),
                room(),
                done(),
                hash(),
                list(),
                value(),
                flag(),
                fences(),
                holds(),
                holders(),
                owned(),
                line(),
                waiting(),
                waits(),
                guards(),
                inbox("left"),
                inbox("right"),
                wake("left"),
                wake("right"));
    }
}
