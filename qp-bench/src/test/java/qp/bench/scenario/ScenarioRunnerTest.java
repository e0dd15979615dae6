package qp.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import qp.gateway.GatewayConfig;
import qp.gateway.GatewayServer;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParameter;

/**
 * The scenario against a real gateway (in process, real WebSockets, its upstream route to the scenario's upstream):
 * what the scenario says it sent in each phase is what the gateway saw from that phase's sessions, type by type; the
 * surge is refused with OVERLOADED as often as the gateway says; the bulky phase's echoes are as large as it says.
 */
class ScenarioRunnerTest {
    /** Each wait fails the test when its condition is not met in time (it used to return silently and go on). */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "scenario-token";
    private static final String ADMIN = "scenario-admin";
    private static final Collecting EVENTS = new Collecting();
    private static SlowUpstream upstream;
    private static GatewayServer gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = SlowUpstream.start(0);
        gateway = GatewayServer.start(GatewayConfig.builder().host("127.0.0.1").adminHost("127.0.0.1").port(0).adminPort(0)
                .nodeId("edge-1").clientToken(TOKEN).adminToken(ADMIN)
                .param(TunableParameter.MAX_CONNECTIONS, 6)
                .route("lookup", URI.create(upstream.urlFor("edge-1"))).build(), EVENTS);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void eachPhaseSendsWhatTheGatewaySeesTypeByType() throws Exception {
        ScenarioScript script = ScenarioScript.parse("normal=1500ms,compressible=1500ms,surge=1500ms,slow-upstream=1500ms");
        List<String> notes = new CopyOnWriteArrayList<>();
        List<ScenarioRunner.PhaseResult> results = new ScenarioRunner(config(script), upstream, recorder(notes)).run();

        assertThat(results).extracting(r -> r.step().phase())
                .containsExactly(Phase.NORMAL, Phase.COMPRESSIBLE, Phase.SURGE, Phase.SLOW_UPSTREAM);
        for (ScenarioRunner.PhaseResult r : results) {
            Map<String, Long> expected = new TreeMap<>(r.counts().sent());
            expected.remove("AUTH"); // a refused connection's AUTH may arrive after the refusal: not a session frame
            Set<String> sessions = Set.copyOf(r.counts().sessions());
            await().atMost(WAIT).until(() -> EVENTS.inBySession(sessions).equals(expected));
            assertThat(EVENTS.inBySession(sessions)).as(r.step().phase().id()).isEqualTo(expected);
            assertThat(r.counts().totalReplies()).as(r.step().phase().id())
                    .isEqualTo(r.counts().totalSent() - r.counts().sent().getOrDefault("AUTH", 0L));
        }
        PhaseCounts.Snapshot normal = results.get(0).counts();
        assertThat(normal.sent().keySet()).contains("COMMAND:echo", "COMMAND:ping", "COMMAND:lookup", "DATA");
        assertThat(normal.errors()).isZero();
        PhaseCounts.Snapshot compressible = results.get(1).counts();
        assertThat(compressible.replyWireBytes() / compressible.totalReplies()).isGreaterThan(1000);
        PhaseCounts.Snapshot surge = results.get(2).counts();
        assertThat(surge.overloaded()).isPositive();
        await().atMost(WAIT).until(() -> EVENTS.overloaded.sum() == surge.overloaded());
        assertThat(EVENTS.overloaded.sum()).isEqualTo(surge.overloaded());
        assertThat(surge.closes()).containsEntry(1013, surge.overloaded());
        assertThat(notes).anyMatch(n -> n.startsWith("surge on edge-1: 20 connections opened, 4 admitted"));
        PhaseCounts.Snapshot slow = results.get(3).counts();
        assertThat(slow.sent().get("COMMAND:lookup")).isGreaterThan(normal.sent().getOrDefault("COMMAND:lookup", 0L) / 4);
        assertThat(slow.errors()).isZero();
    }

    @Test
    void theBulkyPhaseSendsLargePoorlyCompressibleEchoes() throws Exception {
        List<String> notes = new CopyOnWriteArrayList<>();
        ScenarioRunner.PhaseResult r = new ScenarioRunner(config(ScenarioScript.parse("bulky=2s")), upstream,
                recorder(notes)).run().get(0);

        PhaseCounts.Snapshot bulky = r.counts();
        assertThat(bulky.errors()).isZero();
        assertThat(bulky.sent().get("COMMAND:echo")).isGreaterThan(bulky.sent().getOrDefault("COMMAND:ping", 0L));
        Set<String> sessions = Set.copyOf(bulky.sessions());
        await().atMost(WAIT).until(() -> EVENTS.echoesIn(sessions).size() == bulky.sent().get("COMMAND:echo"));
        List<Integer> echoes = EVENTS.echoesIn(sessions);
        // most echoes are bulky (the rest are the small echoes of normal traffic), and their replies as large
        long large = echoes.stream().filter(b -> b >= TrafficMix.BULKY_MIN_BYTES).count();
        assertThat(large).isGreaterThan(echoes.size() * 3L / 4);
        assertThat(echoes).allMatch(b -> b < TrafficMix.BULKY_MAX_BYTES + 1024);
        assertThat(bulky.replyWireBytes() / bulky.totalReplies()).isGreaterThan(64 * 1024);
    }

    @Test
    void withSeveralGatewaysTheCompressiblePhaseSparesTheLastAndTheBulkyPhaseGoesOnlyThere() {
        Map<String, URI> gateways = new LinkedHashMap<>();
        gateways.put("edge-1", URI.create("ws://127.0.0.1:1/qp"));
        gateways.put("edge-2", URI.create("ws://127.0.0.1:2/qp"));
        ScenarioConfig two = new ScenarioConfig(gateways, TOKEN, "lookup", 150, 2, 20, 32, ScenarioScript.parse("normal=1s"), 7);
        ScenarioRunner runner = new ScenarioRunner(two, upstream, recorder(new CopyOnWriteArrayList<>()));
        assertThat(two.bulkyNode()).isEqualTo("edge-2");
        assertThat(runner.trafficFor(Phase.COMPRESSIBLE, "edge-1")).isEqualTo(Phase.COMPRESSIBLE);
        assertThat(runner.trafficFor(Phase.COMPRESSIBLE, "edge-2")).isEqualTo(Phase.NORMAL);
        assertThat(runner.trafficFor(Phase.BULKY, "edge-1")).isEqualTo(Phase.NORMAL);
        assertThat(runner.trafficFor(Phase.BULKY, "edge-2")).isEqualTo(Phase.BULKY);
        assertThat(runner.trafficFor(Phase.SURGE, "edge-2")).isEqualTo(Phase.SURGE);
    }

    private static ScenarioConfig config(ScenarioScript script) {
        return new ScenarioConfig(Map.of("edge-1", gateway.uri()), TOKEN, "lookup", 150, 2, 20, 32, script, 7);
    }

    private static ScenarioRunner.Listener recorder(List<String> notes) {
        ScenarioRunner.Listener print = ScenarioMain.printer();
        return new ScenarioRunner.Listener() {
            @Override
            public void phaseStarted(int index, int of, ScenarioScript.Step step) {
                print.phaseStarted(index, of, step);
            }

            @Override
            public void phaseEnded(int index, int of, ScenarioScript.Step step, PhaseCounts.Snapshot counts) {
                print.phaseEnded(index, of, step, counts);
            }

            @Override
            public void note(String line) {
                notes.add(line);
                print.note(line);
            }
        };
    }

    /** Keeps the gateway's frame events in memory; what matters here is which frames it saw. */
    private static final class Collecting implements EventEmitter {
        final ConcurrentLinkedQueue<FrameEvent> in = new ConcurrentLinkedQueue<>();
        final LongAdder overloaded = new LongAdder();

        @Override
        public void emitFrame(FrameEvent e) {
            if (e.direction() == Direction.IN) {
                in.add(e);
            } else if ("OVERLOADED".equals(e.outcome())) {
                overloaded.increment();
            }
        }

        /** Raw bytes of the echo commands the sessions sent. */
        List<Integer> echoesIn(Set<String> sessions) {
            List<Integer> out = new ArrayList<>();
            for (FrameEvent e : in) {
                if (e.sessionId() != null && sessions.contains(e.sessionId()) && "echo".equals(e.op())) {
                    out.add(e.rawBytes());
                }
            }
            return out;
        }

        Map<String, Long> inBySession(Set<String> sessions) {
            Map<String, Long> m = new TreeMap<>();
            for (FrameEvent e : in) {
                if (e.sessionId() != null && sessions.contains(e.sessionId()) && !"AUTH".equals(e.type())
                        && !"HEARTBEAT".equals(e.type())) {
                    m.merge(e.op() == null ? e.type() : e.type() + ":" + e.op(), 1L, Long::sum);
                }
            }
            return m;
        }

        @Override
        public void emitNodeMetrics(NodeMetrics sample) {
        }

        @Override
        public EmitterStats stats() {
            return new EmitterStats(0, 0, 0, 0, false);
        }

        @Override
        public void close() {
        }
    }
}
