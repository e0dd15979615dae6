# The QP edge gateway. Built from the repository root: docker build -f docker/gateway.Dockerfile .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -pl qp-gateway -am package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/lib && cp qp-gateway/target/dependency/*.jar /out/lib/ && cp qp-gateway/target/qp-gateway-*.jar /out/lib/

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/qp qp && mkdir -p /var/lib/qp && chown qp /var/lib/qp
COPY --from=build /out/lib /app/lib
USER qp
WORKDIR /var/lib/qp
# QP WebSocket (ws://host:9999/qp) and the admin API (http://host:9998).
EXPOSE 9999 9998
# The spool keeps frame events while Kafka is away; it must outlive the container.
VOLUME /var/lib/qp
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60"
ENTRYPOINT ["java", "-cp", "/app/lib/*", "qp.gateway.GatewayMain"]
CMD ["--spool-dir", "/var/lib/qp/spool"]
