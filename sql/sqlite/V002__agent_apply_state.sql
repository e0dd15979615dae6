-- QP agent store, migration 2: what the agent needs to apply a change exactly once and to verify it.

-- The gateway's parameter version the PUT was conditioned on (If-Match): at a restart the agent compares it with
-- GET /params to tell "PUT never left" (version unchanged) from "PUT landed" (version moved, value = proposed).
ALTER TABLE optimizations ADD COLUMN base_param_version INTEGER;
-- The gateway's instance id when the change was applied (a restart of the gateway shows as a new id).
ALTER TABLE optimizations ADD COLUMN gateway_instance_id TEXT;
-- The observed relative improvement of the target metric, (before - after) / before; negative when it got worse.
ALTER TABLE optimizations ADD COLUMN observed_improvement REAL;
-- Attempts at the current step against an unreachable gateway, and when the next may start (backoff).
ALTER TABLE optimizations ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE optimizations ADD COLUMN next_attempt_at_ms INTEGER;
-- Who set the current status last: agent, dashboard, cli.
ALTER TABLE optimizations ADD COLUMN actor TEXT;

-- Verification reads a node's tumbling all-types windows by end time.
CREATE INDEX performance_metrics_windows ON performance_metrics (node_id, window_end_ms) WHERE source = 'window' AND type = '*';
