-- QP agent store, migration 3: experiments. Every change is proven by randomized arms running at the same time
-- (README, "How a change is proven"); this is their record, read back so that a failed change is not tried again.

CREATE TABLE experiments (
    id                  TEXT    PRIMARY KEY,              -- also the experiment id on the gateway
    recommendation_id   TEXT    NOT NULL,
    node_id             TEXT    NOT NULL,
    parameter           TEXT    NOT NULL,
    control_value       INTEGER NOT NULL,                 -- 0 = off where the parameter allows it
    treatment_value     INTEGER NOT NULL,
    assignment          TEXT    NOT NULL,                 -- session or switchback
    share               REAL    NOT NULL,                 -- treatment share of sessions now (session assignment)
    block_ms            INTEGER NOT NULL DEFAULT 0,       -- switchback block length
    status              TEXT    NOT NULL,                 -- starting, running, ending, ended, failed
    target_metric       TEXT    NOT NULL,                 -- ArmMetric wire name
    base_param_version  INTEGER,                          -- the params version POST /experiment was conditioned on
    gateway_started_ms  INTEGER,                          -- the gateway's start time (switchback schedule)
    started_at_ms       INTEGER,                          -- agent clock: the gateway confirmed it
    ramped_at_ms        INTEGER,                          -- agent clock: the share was raised
    judged_until_ms     INTEGER NOT NULL DEFAULT 0,       -- windows ending at or before this were guard-checked
    ended_at_ms         INTEGER,
    effect              REAL,                             -- treatment / control - 1 on the stratified target metric
    interval_low        REAL,
    interval_high       REAL,
    interval_level      REAL,
    frames_control      INTEGER,
    frames_treatment    INTEGER,
    verdict             TEXT,                             -- kept, no_effect, harm, guard, timed_out, stopped
    sentence            TEXT,                             -- the verdict as a person reads it
    profile_json        TEXT,                             -- the node's traffic when it started (already_tried)
    created_at_ms       INTEGER NOT NULL,
    updated_at_ms       INTEGER NOT NULL
);
CREATE INDEX experiments_by_node ON experiments (node_id, parameter, ended_at_ms);
CREATE INDEX experiments_by_recommendation ON experiments (recommendation_id);

-- Gate already_tried (a change like one whose experiment failed): the gate column's CHECK is widened, which SQLite
-- does by rebuilding the table (its documented procedure; the agent turns foreign keys off while it migrates).
CREATE TABLE optimizations_v3 (
    id                    INTEGER PRIMARY KEY,
    recommendation_id     TEXT    NOT NULL UNIQUE,
    node_id               TEXT    NOT NULL,
    parameter             TEXT    NOT NULL,
    current_value         INTEGER NOT NULL,
    proposed_value        INTEGER NOT NULL,
    confidence            REAL    NOT NULL,
    expected_improvement  REAL    NOT NULL,
    target_metric         TEXT    NOT NULL,
    source                TEXT    NOT NULL,
    model_version         TEXT,
    rule_or_model         TEXT,
    evidence              TEXT,
    param_version         INTEGER NOT NULL,
    status                TEXT    NOT NULL CHECK (status IN ('pending', 'advised', 'dry_run', 'rejected', 'applying',
                                                             'applied', 'verified', 'rolled_back', 'failed')),
    gate                  TEXT    CHECK (gate IS NULL OR gate IN ('confidence', 'improvement', 'range', 'cooldown',
                                                             'max_step', 'in_flight', 'already_tried', 'stale',
                                                             'unknown_node', 'operator')),
    reason                TEXT,
    before_metric         REAL,                            -- experiments: the target metric in the control arm
    after_metric          REAL,                            -- ... and in the treatment arm
    applied_param_version INTEGER,
    previous_value        INTEGER,
    created_at_ms         INTEGER NOT NULL,
    seen_at_ms            INTEGER NOT NULL,
    decided_at_ms         INTEGER,
    applying_at_ms        INTEGER,
    applied_at_ms         INTEGER,
    verified_at_ms        INTEGER,
    rolled_back_at_ms     INTEGER,
    failed_at_ms          INTEGER,
    updated_at_ms         INTEGER NOT NULL,
    base_param_version    INTEGER,
    gateway_instance_id   TEXT,
    observed_improvement  REAL,
    attempts              INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms    INTEGER,
    actor                 TEXT
);
INSERT INTO optimizations_v3 SELECT id, recommendation_id, node_id, parameter, current_value, proposed_value,
    confidence, expected_improvement, target_metric, source, model_version, rule_or_model, evidence, param_version,
    status, gate, reason, before_metric, after_metric, applied_param_version, previous_value, created_at_ms,
    seen_at_ms, decided_at_ms, applying_at_ms, applied_at_ms, verified_at_ms, rolled_back_at_ms, failed_at_ms,
    updated_at_ms, base_param_version, gateway_instance_id, observed_improvement, attempts, next_attempt_at_ms, actor
    FROM optimizations;
DROP TABLE optimizations;
ALTER TABLE optimizations_v3 RENAME TO optimizations;
CREATE INDEX optimizations_by_status    ON optimizations (status, node_id);
CREATE INDEX optimizations_by_node_param ON optimizations (node_id, parameter, updated_at_ms);
CREATE INDEX optimizations_by_updated   ON optimizations (updated_at_ms);

-- Per-window, per-arm statistics of running experiments from qp.experiment-stats (the record's JSON as it came).
CREATE TABLE experiment_windows (
    experiment_id    TEXT    NOT NULL,
    node_id          TEXT    NOT NULL,
    window_start_ms  INTEGER NOT NULL,
    window_end_ms    INTEGER NOT NULL,
    stats_json       TEXT    NOT NULL,
    recorded_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (experiment_id, node_id, window_start_ms)
);
