package io.forklift.coordinator.http;

import io.forklift.wire.Json;

/** {@code GET /openapi.json}: the API's OpenAPI 3 document, written from the routes themselves. Public: it describes, it holds no data. */
final class OpenApiRoutes implements Router.Resource {
    private final Router router;
    private volatile byte[] document;

    OpenApiRoutes(Router router) {
        this.router = router;
    }

    @Override
    public void register(Router r) {
        r.get("/openapi.json", Access.PUBLIC, Doc.of("meta", "This document"), ex -> {
            byte[] doc = document;
            if (doc == null)
                document = doc = Json.MAPPER
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(OpenApi.document(router, version()));
            ex.send(200, "application/json", doc);
        });
    }

    private static String version() {
        String v = OpenApiRoutes.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
