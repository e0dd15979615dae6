# Submits QP's job jar to a Flink cluster through its REST API and exits (bin/qp submit outside Docker).
# Built from the repository root: docker build -f docker/job-submitter.Dockerfile .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -pl qp-stream-job,qp-cluster -am package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/lib && cp qp-cluster/target/dependency/*.jar /out/lib/ && cp qp-cluster/target/qp-cluster-*.jar /out/lib/ \
 && cp qp-stream-job/target/qp-stream-job-*.jar /out/qp-stream-job.jar

FROM eclipse-temurin:17-jre
COPY --from=build /out /app
USER 10001
# The job's own options follow the command (see docs/job-options.md); --jar is the shaded job jar in this image.
ENTRYPOINT ["java", "-cp", "/app/lib/*", "qp.cluster.submit.SubmitMain", "--jar", "/app/qp-stream-job.jar"]
CMD ["--rest-url", "http://jobmanager:8081", "--wait-for-cluster", "3min", "--skip-if-running", "--bootstrap-servers", "kafka:9092"]
