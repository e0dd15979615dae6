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
