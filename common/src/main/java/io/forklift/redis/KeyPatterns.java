package io.forklift.redis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key schema as {@code lua/KEYS.md} writes it: every pattern {@link Keys} makes, without the
 * prefix, by name, so a test can hold the document and the code to each other.
 */
public final class KeyPatterns {
    private KeyPatterns() {}

    /** Every key pattern, without the prefix, as KEYS.md writes it. */
    public static Map<String, String> all() {
        Keys k = new Keys("");
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ready", k.ready("q"));
        p.put("msgs", k.msgs("q"));
        p.put("attempts", k.attempts("q"));
        p.put("inflight", k.inflight("q"));
        p.put("owners", k.owners("q"));
        p.put("running", k.running("q"));
        p.put("lanes", k.lanes("q"));
        p.put("lane", k.lane("q", "<pool>"));
        p.put("pools", k.pools("q"));
        p.put("pool_running", k.poolRunning("q"));
        p.put("pool_of", k.poolOf("q"));
        p.put("fences", k.fences("q"));
        p.put("delayed", k.delayed("q"));
        p.put("meta", k.meta("q"));
        p.put("wake", k.wake("q"));
        p.put("dead", k.dead("q"));
        p.put("done", k.donePrefix("q") + "<client>");
        p.put("unreplied", k.unreplied("q"));
        p.put("results", k.resultsPrefix("q") + "<minute>");
        p.put("reply", k.reply("q", "<client>"));
        p.put("seq", k.sequence("<client>"));
        p.put("inbox-wake", k.inboxWake("<coordinator>"));
        p.put("worker", k.worker("<id>"));
        p.put("workers", k.workers());
        p.put("queues", k.queues());
        p.put("active-queues", k.activeQueues());
        p.put("leader", k.leader());
        p.put("revoked", k.revokedChannel());
        p.put("ready channel", k.readyChannel());
        p.put("preflight", k.preflight("q") + "<type>");
        ObjectKeys o = k.object("m", "n");
        p.put("object meta", o.meta());
        p.put("object items", o.items());
        p.put("object takers", o.takers());
        p.put("object taking", o.taking("<taker>"));
        p.put("object room", o.room());
        p.put("object done", o.done());
        p.put("object hash", o.hash());
        p.put("object list", o.list());
        p.put("object value", o.value());
        p.put("object set", o.flag());
        p.put("object fences", o.fences());
        p.put("object holds", o.holds());
        p.put("object inbox", o.inbox("<side>"));
        p.put("lock fence", o.fence());
        p.put("lock holders", o.holders());
        p.put("lock owned", o.owned());
        p.put("lock line", o.line());
        p.put("lock waiting", o.waiting());
        p.put("lock waits", o.waits());
        p.put("lock guards", o.guards());
        p.put("lock woken", o.woken("<waiter>"));
        p.put("lock condition", o.cond("<condition>"));
        p.put("object wake", o.wake("<side>"));
        p.put("process", k.process("<id>"));
        p.put("process exit", k.processExit("<id>"));
        p.put("process output", k.processOutput("<client>"));
        p.put("process recent", k.processesRecent());
        p.put("process owner", k.processOwner("<client>"));
        p.put("process signals", k.processSignals());
        p.put("manager", k.managerObjects("<m>"));
        p.put("managers", k.managers());
        return p;
    }
}
