# The QP tuning agent (qp-tuning-agent, main class qp.agent.AgentMain; `bin/qp agent` outside Docker).
# Built from the repository root: docker build -f docker/agent.Dockerfile .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -pl qp-tuning-agent -am package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/lib && cp qp-tuning-agent/target/dependency/*.jar /out/lib/ \
 && cp qp-tuning-agent/target/qp-tuning-agent-*.jar /out/lib/

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/qp qp && mkdir -p /var/lib/qp && chown qp /var/lib/qp
COPY --from=build /out/lib /app/lib
USER qp
WORKDIR /var/lib/qp
# The SQLite store (decisions, verifications, rollbacks) must outlive the container.
VOLUME /var/lib/qp
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60"
ENTRYPOINT ["java", "-cp", "/app/lib/*", "qp.agent.AgentMain"]
CMD ["--db", "/var/lib/qp/agent.db"]
