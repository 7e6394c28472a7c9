package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for the tests: the JDK's HttpClient, a base URL, a token and a client id. */
record Http(HttpClient client, String base, String token, String clientId) {
    static Http to(String base, String token) {
        return new Http(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base, token, null);
    }

    Http as(String clientId) {
        return new Http(client, base, token, clientId);
    }

    Http withToken(String token) {
        return new Http(client, base, token, clientId);
    }

    /** A status and a JSON body (a text node when the body is not JSON). */
    record Answer(int status, JsonNode body, java.net.http.HttpHeaders headers) {}

    Answer get(String path) throws IOException, InterruptedException {
        return send(builder(path).GET().build());
    }

    Answer post(String path, Object body) throws IOException, InterruptedException {
        String json = body instanceof String s ? s : Json.MAPPER.writeValueAsString(body);
        return send(builder(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    Answer put(String path, Object body) throws IOException, InterruptedException {
        return send(builder(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
                .build());
    }

    Answer delete(String path) throws IOException, InterruptedException {
        return send(builder(path).DELETE().build());
    }

    HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (clientId != null) b.header("Forklift-Client", clientId);
        return b;
    }

    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = r.body().isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(r.body());
        } catch (IOException notJson) {
            body = Json.MAPPER.getNodeFactory().textNode(r.body());
        }
        return new Answer(r.statusCode(), body, r.headers());
    }
}
