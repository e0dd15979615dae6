-- QP agent store, migration 1: the initial schema.
-- Applied in order by the agent at start-up; each applied migration is recorded in schema_version.
-- Times are epoch milliseconds (UTC) in columns ending in _ms; latencies in microseconds (_micros); sizes in bytes.

CREATE TABLE IF NOT EXISTS schema_version (
    version       INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    applied_at_ms INTEGER NOT NULL
);

-- Frame events from qp.frames, sampled (the agent's --message-log-sample) and bounded by retention.
CREATE TABLE message_log (
    id             INTEGER PRIMARY KEY,
    node_id        TEXT    NOT NULL,
    connection_id  TEXT    NOT NULL,
    seq            INTEGER NOT NULL,
    session_id     TEXT,
    type           TEXT    NOT NULL,
    op             TEXT,
    direction      TEXT    NOT NULL,          -- IN or OUT
    wire_bytes     INTEGER NOT NULL,
    raw_bytes      INTEGER NOT NULL,
    compressed     INTEGER NOT NULL,          -- 0 or 1
    latency_micros INTEGER NOT NULL,          -- 0 when the frame got no reply
    outcome        TEXT    NOT NULL,          -- ok, or the error code
    param_version  INTEGER NOT NULL,
    event_time_ms  INTEGER NOT NULL
);
CREATE INDEX message_log_by_time      ON message_log (event_time_ms);
CREATE INDEX message_log_by_node_time ON message_log (node_id, event_time_ms);

-- Window stats from qp.window-stats (source = 'window') and node samples from qp.node-metrics (source = 'node').
CREATE TABLE performance_metrics (
    id                    INTEGER PRIMARY KEY,
    source                TEXT    NOT NULL CHECK (source IN ('window', 'node')),
    node_id               TEXT    NOT NULL,
    type                  TEXT    NOT NULL DEFAULT '*',   -- message type, '*' for all types (node samples: '*')
    window_view           TEXT,                           -- TUMBLING or SLIDING (windows only)
    window_start_ms       INTEGER NOT NULL,               -- node samples: the sample time
    window_end_ms         INTEGER NOT NULL,               -- node samples: the sample time
    count                 INTEGER,
    bytes                 INTEGER,
    throughput_per_sec    REAL,
    bytes_per_sec         REAL,
    error_count           INTEGER,
    error_rate            REAL,
    latency_samples       INTEGER,
    latency_p50_micros    REAL,
    latency_p95_micros    REAL,
    latency_p99_micros    REAL,
    latency_max_micros    INTEGER,
    payload_mean_bytes    REAL,
    payload_stddev_bytes  REAL,
    payload_p95_bytes     REAL,
    payload_max_bytes     INTEGER,
    type_mix_json         TEXT,                           -- {"COMMAND": 12, ...}
    payload_histogram_json TEXT,
    frames_in_per_sec     REAL,                           -- node samples
    frames_out_per_sec    REAL,
    bytes_in_per_sec      REAL,
    bytes_out_per_sec     REAL,
    cpu                   REAL,                           -- process CPU load 0..1
    heap_used_bytes       INTEGER,
    connections           INTEGER,
    heartbeat_timeouts    INTEGER,
    param_version         INTEGER,
    params_json           TEXT,                           -- {"buffer_size": 8192, ...}
    instance_id           TEXT,                           -- the gateway's instance id (new at each start)
    recorded_at_ms        INTEGER NOT NULL,
    UNIQUE (source, node_id, type, window_view, window_start_ms, window_end_ms)
);
CREATE INDEX performance_metrics_by_node_end ON performance_metrics (node_id, source, type, window_end_ms);
CREATE INDEX performance_metrics_by_end      ON performance_metrics (window_end_ms);

-- Anomalies from qp.anomalies (3-sigma detectors and MODEL_OUTLIER).
CREATE TABLE anomalies (
    id              INTEGER PRIMARY KEY,
    node_id         TEXT    NOT NULL,
    type            TEXT,
    kind            TEXT    NOT NULL,
    severity        TEXT    NOT NULL,
    score           REAL,
    value           REAL,
    mean            REAL,
    sigma           REAL,
    threshold       REAL,
    window_start_ms INTEGER NOT NULL,
    window_end_ms   INTEGER NOT NULL,
    detail          TEXT,
    recorded_at_ms  INTEGER NOT NULL,
    UNIQUE (node_id, type, kind, window_start_ms, window_end_ms)
);
CREATE INDEX anomalies_by_end      ON anomalies (window_end_ms);
CREATE INDEX anomalies_by_node_end ON anomalies (node_id, window_end_ms);

-- Message-type bigrams from qp.bigrams, one row per pair and window.
CREATE TABLE bigrams (
    id              INTEGER PRIMARY KEY,
    node_id         TEXT    NOT NULL,
    window_start_ms INTEGER NOT NULL,
    window_end_ms   INTEGER NOT NULL,
    first_type      TEXT    NOT NULL,
    second_type     TEXT    NOT NULL,
    count           INTEGER NOT NULL,
    UNIQUE (node_id, window_start_ms, window_end_ms, first_type, second_type)
);
CREATE INDEX bigrams_by_end ON bigrams (window_end_ms);

-- Every recommendation the agent saw, and what became of it.
CREATE TABLE optimizations (
    id                    INTEGER PRIMARY KEY,
    recommendation_id     TEXT    NOT NULL UNIQUE,
    node_id               TEXT    NOT NULL,
    parameter             TEXT    NOT NULL,
    current_value         INTEGER NOT NULL,
    proposed_value        INTEGER NOT NULL,
    confidence            REAL    NOT NULL,
    expected_improvement  REAL    NOT NULL,
    target_metric         TEXT    NOT NULL,
    source                TEXT    NOT NULL,                -- rules or model
    model_version         TEXT,
    rule_or_model         TEXT,
    evidence              TEXT,
    param_version         INTEGER NOT NULL,                -- the version the recommendation was computed against
    status                TEXT    NOT NULL CHECK (status IN ('pending', 'advised', 'dry_run', 'rejected', 'applying',
                                                             'applied', 'verified', 'rolled_back', 'failed')),
    gate                  TEXT    CHECK (gate IS NULL OR gate IN ('confidence', 'improvement', 'range', 'cooldown',
                                                             'max_step', 'in_flight', 'stale', 'unknown_node',
                                                             'operator')),
    reason                TEXT,                            -- a sentence a person can read
    before_metric         REAL,                            -- the target metric over the windows before the change
    after_metric          REAL,                            -- ... and after it
    applied_param_version INTEGER,                         -- the gateway's version after the PUT
    previous_value        INTEGER,                         -- the value a rollback restores
    created_at_ms         INTEGER NOT NULL,                -- the recommendation's own time
    seen_at_ms            INTEGER NOT NULL,
    decided_at_ms         INTEGER,
    applying_at_ms        INTEGER,
    applied_at_ms         INTEGER,
    verified_at_ms        INTEGER,
    rolled_back_at_ms     INTEGER,
    failed_at_ms          INTEGER,
    updated_at_ms         INTEGER NOT NULL
);
CREATE INDEX optimizations_by_status    ON optimizations (status, node_id);
CREATE INDEX optimizations_by_node_param ON optimizations (node_id, parameter, updated_at_ms);
CREATE INDEX optimizations_by_updated   ON optimizations (updated_at_ms);

-- The history of each optimization: every status change, by the agent or by an operator.
CREATE TABLE optimization_events (
    id              INTEGER PRIMARY KEY,
    optimization_id INTEGER NOT NULL REFERENCES optimizations (id),
    at_ms           INTEGER NOT NULL,
    status          TEXT    NOT NULL,
    actor           TEXT    NOT NULL,                      -- agent, dashboard, cli
    reason          TEXT
);
CREATE INDEX optimization_events_by_opt ON optimization_events (optimization_id, at_ms);

-- Model versions from qp.models.
CREATE TABLE models (
    id                      INTEGER PRIMARY KEY,
    name                    TEXT    NOT NULL,
    node_id                 TEXT    NOT NULL,
    version                 TEXT    NOT NULL,
    algorithm               TEXT,
    trained_at_ms           INTEGER NOT NULL,
    rows                    INTEGER NOT NULL,
    train_rows              INTEGER NOT NULL,
    test_rows               INTEGER NOT NULL,
    published               INTEGER NOT NULL,              -- 0 or 1
    r2                      REAL,
    mae_micros              REAL,
    score_threshold         REAL,
    feature_importance_json TEXT,
    detail                  TEXT,
    model_blob              BLOB,                          -- the serialized model (decoded from base64)
    recorded_at_ms          INTEGER NOT NULL,
    UNIQUE (name, node_id, version)
);
CREATE INDEX models_by_trained ON models (trained_at_ms);
