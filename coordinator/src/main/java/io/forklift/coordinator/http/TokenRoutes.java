package io.forklift.coordinator.http;

import io.forklift.TaskRelay;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who the caller is ({@code GET /v1/whoami}), client ids for the cluster token's holders
 * ({@code POST /v1/clients}), and scoped tokens minted by the cluster token ({@code POST /v1/tokens},
 * as {@code forklift token create} does offline).
 */
final class TokenRoutes implements Router.Resource {
    private final Tokens tokens; // null without an authkey (--http-insecure): no tokens to mint

    TokenRoutes(Tokens tokens) {
        this.tokens = tokens;
    }

    record TokenRequest(List<String> queues, List<String> objects, Boolean readOnly, String ttl) {}

    @Override
    public void register(Router r) {
        r.get(
                "/v1/whoami",
                Access.ANY,
                Doc.of("tokens", "The caller's client id and scopes").returns(200, "Whoami"),
                this::whoami);
        r.post(
                "/v1/clients",
                Access.ANY,
                Doc.of(
                                "tokens",
                                "A fresh client id for a cluster-token caller (a scoped token's is its own); send it as Forklift-Client")
                        .returns(201, "Client"),
                this::client);
        r.post(
                "/v1/tokens",
                Access.CLUSTER,
                Doc.of("tokens", "Mint a scoped token (cluster token only)")
                        .body("TokenRequest")
                        .returns(201, "Token"),
                this::mint);
    }

    private void whoami(Exchange ex) {
        Principal p = ex.principal();
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("cluster", p.cluster());
        me.put("client", p.client());
        me.put("queues", p.queues());
        me.put("objects", p.objects());
        me.put("readOnly", p.readOnly());
        ex.json(200, me);
    }

    private void client(Exchange ex) {
        Principal p = ex.principal();
        String client = p.client() != null && !p.cluster() ? p.client() : TaskRelay.newClientId();
        ex.json(201, Map.of("client", client));
    }

    private void mint(Exchange ex) {
        if (tokens == null)
            throw new ApiException(
                    409,
                    "no_authkey",
                    "this coordinator runs without an authkey (--http-insecure): there is nothing to sign tokens with");
        TokenRequest t = ex.body(TokenRequest.class);
        Duration ttl;
        try {
            ttl = t.ttl() == null ? Duration.ofDays(7) : Duration.parse(t.ttl());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("ttl must be an ISO-8601 duration such as P7D, got '" + t.ttl() + "'");
        }
        String token = tokens.scoped(
                t.queues() == null ? List.of() : t.queues(),
                t.objects() == null ? List.of() : t.objects(),
                Boolean.TRUE.equals(t.readOnly()),
                ttl);
        Principal p = tokens.verify(token);
        ex.json(
                201,
                Map.of(
                        "token",
                        token,
                        "client",
                        p.client(),
                        "expiresAt",
                        Instant.ofEpochMilli(Tokens.expiresAt(token)).toString()));
    }
}
