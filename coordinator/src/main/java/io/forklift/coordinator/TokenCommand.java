package io.forklift.coordinator;

import io.forklift.coordinator.http.Tokens;
import io.forklift.daemon.options.AuthkeyOptions;
import io.forklift.wire.Authkey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code forklift token}: bearer tokens for the HTTP API, made offline from the authkey (no Redis,
 * no coordinator: any coordinator holding the same authkey verifies them without stored state).
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Make bearer tokens for the coordinator's HTTP API from the cluster's authkey.",
        subcommands = {TokenCommand.Create.class, TokenCommand.Cluster.class})
public final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    static Tokens tokens(AuthkeyOptions options) {
        Authkey key = options.authkey();
        if (key == null)
            throw new IllegalArgumentException(
                    "tokens are signed with the cluster's authkey: give --authkey-file or FORKLIFT_AUTHKEY");
        return new Tokens(key);
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Print a scoped token: its queues and objects (globs), read-only or not, valid for --ttl, with a client id of its own.")
    public static final class Create implements Callable<Integer> {
        @Mixin
        AuthkeyOptions authkey;

        @Option(
                names = "--queues",
                split = ",",
                description = "Queues it may use, globs (crawl, web-*, '*'). Default: none")
        List<String> queues = List.of();

        @Option(
                names = "--objects",
                split = ",",
                description = "Manager objects it may use, globs (shop/*). Default: none")
        List<String> objects = List.of();

        @Option(names = "--read-only", description = "Only read: no submitting, retrying or purging")
        boolean readOnly;

        @Option(
                names = "--ttl",
                defaultValue = "P7D",
                description = "How long it is valid, ISO-8601. Default: ${DEFAULT-VALUE}")
        Duration ttl;

        @Override
        public Integer call() {
            String token = tokens(authkey).scoped(queues, objects, readOnly, ttl);
            System.out.println(token);
            System.err.printf(
                    "valid until %s; queues %s, objects %s%s%n",
                    Instant.ofEpochMilli(Tokens.expiresAt(token)), queues, objects, readOnly ? ", read-only" : "");
            return 0;
        }
    }

    @Command(
            name = "cluster",
            mixinStandardHelpOptions = true,
            description =
                    "Print the cluster token: every scope, no expiry, derived from the authkey (rotate the authkey to revoke it).")
    public static final class Cluster implements Callable<Integer> {
        @Mixin
        AuthkeyOptions authkey;

        @Override
        public Integer call() {
            System.out.println(tokens(authkey).clusterToken());
            return 0;
        }
    }
}
