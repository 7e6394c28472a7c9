# syntax=docker/dockerfile:1
# One image for every role: `docker run IMAGE worker --queues …`, `… coordinator`, `… status`.

# Build: the same artifacts as ./forklift uses, cli/target/forklift.jar and its run-time class path in
# cli/target/lib. Maven's downloads are kept in a BuildKit cache between builds.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package

# Run: a JRE is enough; child JVMs start from the same java and class path as the worker.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /opt/forklift --shell /usr/sbin/nologin forklift \
 && mkdir -p /opt/forklift/tasks
COPY --from=build /src/cli/target/forklift.jar /opt/forklift/forklift.jar
COPY --from=build /src/cli/target/lib/ /opt/forklift/lib/
COPY docker/forklift docker/forklift-health /usr/local/bin/
USER forklift
WORKDIR /opt/forklift
# 9464: a worker's /metrics, 9465: a coordinator's.
EXPOSE 9464 9465
ENTRYPOINT ["forklift"]
CMD ["--help"]
