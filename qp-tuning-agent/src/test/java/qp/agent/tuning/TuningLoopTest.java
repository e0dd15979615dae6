package qp.agent.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import qp.agent.config.AgentOptions;
import qp.agent.config.GatewayEntry;
import qp.agent.experiments.Experiment;
import qp.agent.experiments.ExperimentStatus;
import qp.agent.experiments.ExperimentVerdict;
import qp.agent.operator.OperatorActions.ActionResult;
import qp.agent.testing.RecordingApplier;
import qp.agent.testing.Scenario;
import qp.agent.testing.SimulatedArms;
import qp.agent.store.SqliteExperimentStore;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.analytics.Recommendation;
import qp.protocol.experiments.ArmMetric;

/**
 * The loop against a real gateway (admin API on a real socket) and a real SQLite file, with a clock that moves only
 * when the test moves it.
 */
class TuningLoopTest extends RealGatewayLoop {
    /** Three calm windows ending at T0: 100 frames of 1000 B each, p99 2 ms. */
    void windowsBefore() {
        h.windows(Scenario.windows(NODE, T0 - 3 * Scenario.WINDOW_MS, 3, 100, 100_000, 1000, 2000, 0));
    }

    /** A loop with calm windows behind it that has just started an experiment for a compression recommendation. */
    Recommendation compressionExperimentStarted() {
        h = harness(config);
        windowsBefore();
        Recommendation r = Scenario.compression(NODE, T0);
        h.source.offer(r);
        h.loop.tick();
        return r;
    }

    /** The experiment the loop started for a recommendation, as the store has it now. */
    Experiment experiment(Recommendation r) {
        return new SqliteExperimentStore(h.db).forRecommendation(r.id()).orElseThrow();
    }

    /** Per-arm windows of the running experiment, in its gateway's time, from its settle time on. */
    void armWindows(Experiment e, int from, int count, double effect, double p99Control, double p99Treatment) {
        long windowMs = 5_000;
        long start = e.gatewayStartedMs() + 5_000 + from * windowMs;
        h.experimentWindows(new SimulatedArms(NODE, e.id(), start, windowMs, 40 + from, 120, 0.5, effect, count,
                false, p99Control, p99Treatment).windows);
    }

    @Test
    void aChangeIsProvenByAnExperimentThatStartsSmallRampsAndIsKeptAndAdopted() throws Exception {
        Recommendation r = compressionExperimentStarted();
        assertThat(h.get(r.id()).status()).isEqualTo(Status.APPLIED);
        ExperimentSpec running = gw.server().params().current().experiment();
        assertThat(running.id()).isEqualTo("x-" + r.id());
        assertThat(running.treatmentShare()).as("it starts small").isEqualTo(0.1);
        assertThat(gw.server().params().params().compressionThresholdBytes()).as("the node stays on control").isZero();
        assertThat(h.applier.starts()).isEqualTo(1);
        assertThat(h.get(r.id()).reason()).contains("experiment x-" + r.id() + " running");

        Experiment e = experiment(r);
        armWindows(e, 0, 2, -0.6, 1_000, 1_050);
        clock.advance(Duration.ofSeconds(12));
        h.loop.tick();
        assertThat(gw.server().params().current().experiment().treatmentShare()).as("ramped: the guards held")
                .isEqualTo(0.5);
        assertThat(h.get(r.id()).status()).as("before its minimum duration").isEqualTo(Status.APPLIED);

        armWindows(e, 3, 5, -0.6, 1_000, 1_050);
        clock.advance(Duration.ofSeconds(20));
        h.loop.tick();
        Optimization o = h.get(r.id());
        assertThat(o.status()).isEqualTo(Status.VERIFIED);
        assertThat(o.reason()).startsWith("node edge-1 | compression_threshold off -> 1024 B | experiment x-" + r.id()
                + ": outgoing wire bytes per raw byte -60% (99.9% interval ");
        assertThat(o.reason()).endsWith("| kept: adopted on the whole node (clear gain at an early look)");
        assertThat(o.observedImprovement()).isBetween(0.55, 0.65);
        assertThat(gw.server().params().current().experiment()).as("ended").isNull();
        assertThat(gw.server().params().params().compressionThresholdBytes()).as("adopted").isEqualTo(1024);
        assertThat(h.events(r.id())).extracting(x -> x.substring(0, x.indexOf(':')))
                .containsExactly("pending by agent", "applying by agent", "applied by agent", "verified by agent");
        Experiment ended = experiment(r);
        assertThat(ended.status()).isEqualTo(ExperimentStatus.ENDED);
        assertThat(ended.verdict()).isEqualTo(ExperimentVerdict.KEPT);
        assertThat(ended.estimate().high()).isLessThan(-0.05);
    }

    @Test
    void aKeptChangeWhoseExperimentTheGatewayNoLongerRunsIsNotCountedAsAdopted() throws Exception {
        Recommendation r = compressionExperimentStarted();
        Experiment e = experiment(r);
        // someone ends it on the gateway behind the agent's back (as a gateway restarted without its state would)
        gw.server().experiments().end(qp.gateway.experiments.Experiments.Outcome.CONTROL, e.id(), -1);
        armWindows(e, 0, 8, -0.6, 1_000, 1_050);
        clock.advance(Duration.ofSeconds(40));
        h.loop.tick();
        assertThat(h.get(r.id()).status()).as("not kept before a window at the ramped share, and the ramp cannot happen")
                .isEqualTo(Status.APPLIED);
        clock.advance(Duration.ofSeconds(300)); // its maximum duration
        h.loop.tick();
        Optimization o = h.get(r.id());
        assertThat(o.status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(o.reason()).endsWith("but the gateway no longer ran it (restarted without its state dir?): nothing "
                + "was adopted, the node is on its own value");
        assertThat(experiment(r).verdict()).isEqualTo(ExperimentVerdict.STOPPED);
        assertThat(gw.server().params().params().compressionThresholdBytes()).isZero();
    }

    @Test
    void aGuardThatBreaksEndsTheExperimentAtTheFirstWindowAndTheNodeStaysOnControl() throws Exception {
        Recommendation r = compressionExperimentStarted();
        armWindows(experiment(r), 0, 1, -0.6, 1_000, 9_000); // fewer bytes, but p99 1 ms -> 9 ms in treatment
        clock.advance(Duration.ofSeconds(6));
        h.loop.tick();
        Optimization o = h.get(r.id());
        assertThat(o.status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(o.reason()).contains("| guard: guard latency_p99 broke: treatment p99 9000 us against control 1000 us");
        assertThat(o.reason()).endsWith("stopped at once, treatment sessions back on control");
        assertThat(gw.server().params().current().experiment()).isNull();
        assertThat(gw.server().params().params().compressionThresholdBytes()).isZero();
        assertThat(h.applier.calls).as("never ramped").noneMatch(c -> c.startsWith("PUT /experiment"));
    }

    @Test
    void withoutARealEffectItEndsNoEffectAtItsMaximumDuration() {
        Recommendation r = compressionExperimentStarted();
        Experiment e = experiment(r);
        armWindows(e, 0, 40, 0.0, 1_000, 1_000);
        clock.advance(Duration.ofSeconds(100));
        h.loop.tick();
        assertThat(h.get(r.id()).status()).as("no early stop without a clear effect").isEqualTo(Status.APPLIED);
        clock.advance(Duration.ofSeconds(200));
        h.loop.tick();
        Optimization o = h.get(r.id());
        assertThat(o.status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(o.reason()).contains("(95% interval ").endsWith("everyone back on control");
        assertThat(o.reason()).contains("| no_effect: ");
        assertThat(gw.server().params().params().compressionThresholdBytes()).isZero();
    }

    @Test
    void aRepeatOfAChangeThatDidHarmIsRejectedAsAlreadyTriedUnlessTheTrafficChanged() {
        Recommendation r = compressionExperimentStarted();
        armWindows(experiment(r), 0, 6, 0.5, 1_000, 1_000); // 50% more bytes per raw byte
        clock.advance(Duration.ofSeconds(10));
        h.loop.tick();
        assertThat(h.get(r.id()).reason()).contains("| harm: the treatment made it worse");
        assertThat(experiment(r).verdict()).isEqualTo(ExperimentVerdict.HARM);

        clock.advance(Duration.ofMinutes(6)); // past the cool-down
        Recommendation again = Scenario.rec(NODE, "compression_threshold", 0, 2048, 0.9, 0.3, "bytes", gw.version(),
                T0 + 1);
        h.source.offer(again);
        h.loop.tick();
        assertThat(h.get(again.id()).gate()).isEqualTo(Gate.ALREADY_TRIED);
        assertThat(h.get(again.id()).reason()).contains("rejected by gate already_tried: experiment x-" + r.id()
                + " moved compression_threshold the same way").contains("ended harm");

        // three times the frame rate since: the traffic changed, so the same change deserves another try
        h.windows(Scenario.windows(NODE, clock.millis() - 6 * Scenario.WINDOW_MS, 6, 300, 300_000, 1000, 2000, 0));
        Recommendation onNewTraffic = Scenario.rec(NODE, "compression_threshold", 0, 4096, 0.9, 0.3, "bytes",
                gw.version(), T0 + 2);
        h.source.offer(onNewTraffic);
        h.loop.tick();
        assertThat(h.get(onNewTraffic.id()).status()).isEqualTo(Status.APPLIED);
    }

    @Test
    void eachGateRejectsWhatItShouldAndNamesItself() {
        h = harness(config);
        record Case(Gate gate, Recommendation rec) {
        }
        List<Case> cases = List.of(
                new Case(Gate.CONFIDENCE, Scenario.rec(NODE, "compression_threshold", 0, 1024, 0.5, 0.3, "bytes", 1, 1)),
                new Case(Gate.IMPROVEMENT, Scenario.rec(NODE, "compression_threshold", 0, 1024, 0.9, 0.1, "bytes", 1, 2)),
                new Case(Gate.RANGE, Scenario.rec(NODE, "buffer_size", 8192, 1, 0.9, 0.3, "frames", 1, 3)),
                new Case(Gate.RANGE, Scenario.rec(NODE, "no_such_knob", 1, 2, 0.9, 0.3, "frames", 1, 4)),
                new Case(Gate.MAX_STEP, Scenario.rec(NODE, "buffer_size", 8192, 65536, 0.9, 0.3, "frames", 1, 5)),
                new Case(Gate.STALE, Scenario.rec(NODE, "buffer_size", 8192, 16384, 0.9, 0.3, "frames", 0, 6)));
        cases.forEach(c -> h.source.offer(c.rec()));
        h.loop.tick();
        for (Case c : cases) {
            Optimization o = h.get(c.rec().id());
            assertThat(o.status()).as(c.gate().wire()).isEqualTo(Status.REJECTED);
            assertThat(o.gate()).isEqualTo(c.gate());
            assertThat(o.reason()).as(c.gate().wire()).contains("| rejected by gate " + c.gate().wire() + ": ");
        }
        assertThat(h.get(cases.get(0).rec().id()).reason()).isEqualTo("node edge-1 | compression_threshold off -> "
                + "1024 B | rejected by gate confidence: confidence 0.50 is below 0.80");
        assertThat(h.get(cases.get(5).rec().id()).reason()).endsWith("computed against parameter version 0, the gateway "
                + "is at version 1");
        assertThat(h.applier.starts()).isZero();
        assertThat(gw.version()).isEqualTo(1);

        // in_flight: a second change to the node while the first is applied and not yet verified
        Recommendation first = Scenario.compression(NODE, 10);
        h.source.offer(first);
        h.loop.tick();
        assertThat(h.get(first.id()).status()).isEqualTo(Status.APPLIED);
        Recommendation second = Scenario.rec(NODE, "buffer_size", 8192, 16384, 0.9, 0.3, "frames", 2, 11);
        h.source.offer(second);
        h.loop.tick();
        assertThat(h.get(second.id()).gate()).isEqualTo(Gate.IN_FLIGHT);

        // cooldown: once the first is settled (here: timed out for want of windows), the same parameter waits
        clock.advance(java.time.Duration.ofMinutes(10));
        h.loop.tick();
        assertThat(h.get(first.id()).status()).isEqualTo(Status.ROLLED_BACK);
        Recommendation again = Scenario.rec(NODE, "compression_threshold", 0, 2048, 0.9, 0.3, "bytes", gw.version(), 12);
        h.source.offer(again);
        clock.advance(Duration.ofMinutes(1));
        h.loop.tick();
        assertThat(h.get(again.id()).gate()).isEqualTo(Gate.COOLDOWN);
        assertThat(h.get(again.id()).reason()).endsWith("compression_threshold of edge-1 changed 60 s ago; cool-down is 300 s");
    }

    @Test
    void aLowerConnectionLimitsStepIsMeasuredFromTheConnectionsItBinds() {
        h = harness(config);
        windowsBefore();
        Recommendation blind = Scenario.rec(NODE, "max_connections", 100, 20, 0.9, 0.5, "latency_p99", 1, 1);
        h.source.offer(blind);
        h.loop.tick();
        assertThat(h.get(blind.id()).gate()).as("no sample of open connections: 100 -> 20").isEqualTo(Gate.MAX_STEP);
        assertThat(h.get(blind.id()).reason()).endsWith("100 -> 20 is a step of x5.0, more than x4.0 at once");

        h.nodeSample(NODE, 60); // 60 open: the limit of 100 binds 60, and 60 -> 20 is x3
        Recommendation seeing = Scenario.rec(NODE, "max_connections", 100, 20, 0.9, 0.5, "latency_p99", 1, 2);
        h.source.offer(seeing);
        h.loop.tick();
        assertThat(h.get(seeing.id()).gate()).isNull();
        assertThat(h.applier.starts()).as("a switchback experiment on the real gateway").isEqualTo(1);
        assertThat(new SqliteExperimentStore(h.db).forRecommendation(seeing.id()).orElseThrow().targetMetric())
                .as("a lower limit is judged on the admitted work's latency").isEqualTo(ArmMetric.ADMITTED_LATENCY);
    }

    @Test
    void aModelThatProposesTheOtherDirectionFromTheRulesIsRejectedAsOpposed() {
        h = harness(config);
        windowsBefore();
        Recommendation up = Scenario.rec(NODE, "buffer_size", 8192, 16384, 0.5, 0.3, "frames", 1, 1);
        h.source.offer(up);
        h.loop.tick();
        assertThat(h.get(up.id()).gate()).as("the rules' raise, too unsure").isEqualTo(Gate.CONFIDENCE);

        Recommendation down = Scenario.modelRec(NODE, "buffer_size", 8192, 6144, 0.9, 0.3, "latency", 1, 2);
        h.source.offer(down);
        h.loop.tick();
        assertThat(h.get(down.id()).gate()).isEqualTo(Gate.OPPOSED);
        assertThat(h.get(down.id()).reason()).contains("rules proposed buffer_size 8192 bytes -> 16384 bytes")
                .endsWith("model proposes the other direction, so the evidence disagrees");

        Recommendation alongside = Scenario.modelRec(NODE, "buffer_size", 8192, 12288, 0.9, 0.3, "latency", 1, 3);
        h.source.offer(alongside);
        h.loop.tick();
        assertThat(h.get(alongside.id()).gate()).as("the same direction as the rules").isNull();
        assertThat(h.applier.starts()).isEqualTo(1);
    }

    @Test
    void aRecommendationForANodeNotInTheConfigIsRejectedAndNoRequestLeavesTheAgent() {
        h = harness(config);
        Recommendation r = Scenario.compression("edge-9", T0);
        h.source.offer(r);
        h.loop.tick();
        Optimization o = h.get(r.id());
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.gate()).isEqualTo(Gate.UNKNOWN_NODE);
        assertThat(o.reason()).endsWith("node edge-9 is not in the agent's config (gateways: edge-1); nothing was sent");
        assertThat(h.applier.calls).as("no request at all").isEmpty();
        ActionResult forced = h.actions.apply(r.id(), "dashboard");
        assertThat(forced.ok()).isFalse();
        assertThat(forced.message()).contains("gate unknown_node");
        assertThat(h.applier.calls).as("not even for an operator").isEmpty();
    }

    @Test
    void adviseModeAndDryRunRecordButChangeNothing() {
        h = harness(config.with(AgentOptions.MODE, AgentOptions.Mode.ADVISE));
        Recommendation advised = Scenario.compression(NODE, 1);
        h.source.offer(advised);
        h.loop.tick();
        assertThat(h.get(advised.id()).status()).isEqualTo(Status.ADVISED);
        assertThat(h.get(advised.id()).reason()).endsWith("| passed every gate | advise mode: not applied");
        h.close();

        h = harness(config.with(AgentOptions.DRY_RUN, true));
        Recommendation dry = Scenario.compression(NODE, 2);
        h.source.offer(dry);
        h.loop.tick();
        assertThat(h.get(dry.id()).status()).isEqualTo(Status.DRY_RUN);
        assertThat(h.applier.starts()).isZero();
        assertThat(gw.version()).as("the gateway was not changed").isEqualTo(1);
        assertThat(gw.server().params().params().compressionThresholdBytes()).isZero();
    }

    @Test
    void aCrashBeforeTheExperimentStartsIsReconciledAtRestartWithOneStart() {
        h = harness(config);
        h.applier.crash(RecordingApplier.Crash.BEFORE_PUT);
        Recommendation r = Scenario.compression(NODE, T0);
        h.source.offer(r);
        assertThatThrownBy(h.loop::tick).isInstanceOf(RecordingApplier.SimulatedCrash.class);
        assertThat(h.get(r.id()).status()).as("the intent is recorded").isEqualTo(Status.APPLYING);
        assertThat(gw.version()).as("nothing reached the gateway").isEqualTo(1);
        h.close();

        h = harness(config); // the restarted agent
        h.loop.tick();
        assertThat(h.get(r.id()).status()).isEqualTo(Status.APPLIED);
        assertThat(h.applier.starts()).isEqualTo(1);
        assertThat(gw.version()).as("started exactly once").isEqualTo(2);
        assertThat(gw.server().params().current().experiment().id()).isEqualTo("x-" + r.id());
        h.loop.tick();
        assertThat(gw.version()).isEqualTo(2);
    }

    @Test
    void aCrashAfterTheExperimentStartedIsReconciledAtRestartWithoutASecondStart() {
        h = harness(config);
        h.applier.crash(RecordingApplier.Crash.AFTER_PUT);
        Recommendation r = Scenario.compression(NODE, T0);
        h.source.offer(r);
        assertThatThrownBy(h.loop::tick).isInstanceOf(RecordingApplier.SimulatedCrash.class);
        assertThat(h.get(r.id()).status()).isEqualTo(Status.APPLYING);
        assertThat(gw.version()).as("the POST landed").isEqualTo(2);
        h.close();

        h = harness(config);
        h.loop.tick();
        Optimization o = h.get(r.id());
        assertThat(o.status()).isEqualTo(Status.APPLIED);
        assertThat(o.reason()).contains("experiment x-" + r.id() + " running");
        assertThat(o.appliedParamVersion()).isEqualTo(2);
        assertThat(h.applier.starts()).as("no second start").isZero();
        assertThat(gw.version()).isEqualTo(2);
    }

    @Test
    void aGatewayThatIsDownIsRetriedWithBackoffAndDoesNotHoldUpTheOthers() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        GatewayEntry down = new GatewayEntry("edge-2", URI.create("http://127.0.0.1:" + closedPort), "t");
        h = harness(config.withGateways(List.of(gw.entry(), down)));
        Recommendation toDown = Scenario.compression("edge-2", 1);
        Recommendation toUp = Scenario.compression(NODE, 2);
        h.source.offer(toDown);
        h.source.offer(toUp);
        h.loop.tick();
        assertThat(h.get(toUp.id()).status()).isEqualTo(Status.APPLIED);
        Optimization waiting = h.get(toDown.id());
        assertThat(waiting.status()).isEqualTo(Status.PENDING);
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.reason()).startsWith("waiting for the gateway: edge-2 at http://127.0.0.1:" + closedPort
                + " did not answer");

        clock.advance(Duration.ofMillis(500));
        h.loop.tick();
        assertThat(h.get(toDown.id()).attempts()).as("backing off: not asked again within 1 s").isEqualTo(1);
        clock.advance(Duration.ofMillis(600));
        h.loop.tick();
        assertThat(h.get(toDown.id()).attempts()).isEqualTo(2);
        clock.advance(Duration.ofMillis(1500));
        h.loop.tick();
        assertThat(h.get(toDown.id()).attempts()).as("the delay doubled to 2 s").isEqualTo(2);
        clock.advance(Duration.ofMillis(600));
        h.loop.tick();
        assertThat(h.get(toDown.id()).attempts()).isEqualTo(3);
    }

    @Test
    void operatorsApplyRejectAndRollBackIdempotentlyAndTheHistoryNamesThem() throws Exception {
        h = harness(config.with(AgentOptions.MODE, AgentOptions.Mode.ADVISE));
        Recommendation a = Scenario.compression(NODE, 1);
        Recommendation b = Scenario.rec(NODE, "buffer_size", 8192, 16384, 0.9, 0.3, "frames", 1, 2);
        h.source.offer(a);
        h.source.offer(b);
        h.loop.tick();
        assertThat(h.get(a.id()).status()).isEqualTo(Status.ADVISED);

        ActionResult applied = h.actions.apply(a.id(), "dashboard");
        assertThat(applied).extracting(ActionResult::ok, ActionResult::status).containsExactly(true, "applied");
        assertThat(gw.server().params().current().experiment().id()).as("an operator's apply is proven too")
                .isEqualTo("x-" + a.id());
        assertThat(h.actions.apply(a.id(), "dashboard")).extracting(ActionResult::ok, ActionResult::status,
                ActionResult::message).containsExactly(true, "applied", "already applied");
        assertThat(gw.version()).isEqualTo(2);

        ActionResult rejected = h.actions.reject(b.id(), "cli", "not during the sale");
        assertThat(rejected.ok()).isTrue();
        assertThat(h.get(b.id()).gate()).isEqualTo(Gate.OPERATOR);
        assertThat(h.get(b.id()).reason()).endsWith("| rejected by cli: not during the sale");
        assertThat(h.actions.reject(b.id(), "cli", "again").ok()).isTrue();
        assertThat(h.actions.rollback(b.id(), "cli").ok()).as("nothing to roll back").isFalse();

        ActionResult rolledBack = h.actions.rollback(a.id(), "dashboard");
        assertThat(rolledBack).extracting(ActionResult::ok, ActionResult::status).containsExactly(true, "rolled_back");
        assertThat(h.get(a.id()).reason()).contains("| stopped: stopped by dashboard; everyone back on control");
        assertThat(gw.server().params().current().experiment()).as("the experiment ended").isNull();
        assertThat(gw.server().params().params().compressionThresholdBytes()).isZero();
        assertThat(h.actions.rollback(a.id(), "dashboard").message()).startsWith("already rolled back");
        assertThat(gw.version()).as("one request each way").isEqualTo(3);
        assertThat(h.events(a.id())).extracting(e -> e.substring(0, e.indexOf(':'))).containsExactly(
                "pending by agent", "advised by agent", "applying by dashboard", "applied by dashboard",
                "rolled_back by dashboard");

        assertThat(h.actions.retrain(NODE, "dashboard").ok()).isTrue();
        assertThat(h.sentCommands).singleElement().satisfies(c -> {
            assertThat(c.command()).isEqualTo("retrain");
            assertThat(c.nodeId()).isEqualTo(NODE);
            assertThat(c.requestedBy()).isEqualTo("dashboard");
            assertThat(c.requestedAtMillis()).isEqualTo(T0);
        });
        assertThat(h.actions.apply("no-such-id", "cli")).extracting(ActionResult::ok, ActionResult::status)
                .containsExactly(false, "unknown");
    }

}
