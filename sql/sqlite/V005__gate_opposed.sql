-- QP agent store, migration 5: gate opposed. A rule and a model that propose opposite directions for the same
-- parameter of a node from the same value disagree on the evidence: the later one is rejected (README, "Gates").
-- The gate column's CHECK is widened, which SQLite does by rebuilding the table, as in migration 3.

CREATE TABLE optimizations_v5 (
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
                                                             'unknown_node', 'operator', 'opposed')),
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
INSERT INTO optimizations_v5 SELECT id, recommendation_id, node_id, parameter, current_value, proposed_value,
    confidence, expected_improvement, target_metric, source, model_version, rule_or_model, evidence, param_version,
    status, gate, reason, before_metric, after_metric, applied_param_version, previous_value, created_at_ms,
    seen_at_ms, decided_at_ms, applying_at_ms, applied_at_ms, verified_at_ms, rolled_back_at_ms, failed_at_ms,
    updated_at_ms, base_param_version, gateway_instance_id, observed_improvement, attempts, next_attempt_at_ms, actor
    FROM optimizations;
DROP TABLE optimizations;
ALTER TABLE optimizations_v5 RENAME TO optimizations;
CREATE INDEX optimizations_by_status    ON optimizations (status, node_id);
CREATE INDEX optimizations_by_node_param ON optimizations (node_id, parameter, updated_at_ms);
CREATE INDEX optimizations_by_updated   ON optimizations (updated_at_ms);
