namespace Watchdog.Store;

/// <summary>
/// The schema, as the migrations that build it. Times are BIGINT Unix milliseconds (UTC), enums are stored by
/// their kebab-case names, JSON as TEXT.
/// </summary>
internal static class StoreSchema
{
    public const string CreateMigrationsTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";

    public static IReadOnlyList<StoreMigration> Migrations { get; } =
    [
        new(1, "incidents, timelines, decisions, runs, steps, approvals, alerts, outbox, bad revisions", """
            CREATE TABLE incidents (
                id {id},
                target TEXT NOT NULL,
                policy TEXT NOT NULL,
                status TEXT NOT NULL,
                environment TEXT,
                detected_at BIGINT NOT NULL,
                trigger_rule TEXT NOT NULL,
                trigger_action TEXT NOT NULL,
                trigger_authority TEXT NOT NULL,
                trigger_summary TEXT NOT NULL,
                action_started_at BIGINT,
                action_completed_at BIGINT,
                verified_healthy_at BIGINT,
                closed_at BIGINT,
                close_reason TEXT,
                closed_by TEXT,
                before_state TEXT,
                after_state TEXT,
                approved_by TEXT
            );
            -- At most one open incident per target, enforced by the database so that two writers cannot both open one.
            CREATE UNIQUE INDEX ux_incidents_open_target ON incidents (target) WHERE status = 'open';
            CREATE INDEX ix_incidents_detected_at ON incidents (detected_at);
            CREATE INDEX ix_incidents_target_detected_at ON incidents (target, detected_at);

            CREATE TABLE incident_events (
                id {id},
                incident_id BIGINT NOT NULL REFERENCES incidents (id),
                at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                summary TEXT NOT NULL,
                detail TEXT
            );
            CREATE INDEX ix_incident_events_incident ON incident_events (incident_id, id);

            CREATE TABLE decisions (
                id {id},
                target TEXT NOT NULL,
                policy TEXT NOT NULL,
                at BIGINT NOT NULL,
                action TEXT NOT NULL,
                authority TEXT NOT NULL,
                inconclusive {bool} NOT NULL,
                rule TEXT,
                summary TEXT NOT NULL,
                explanation TEXT NOT NULL,
                incident_id BIGINT REFERENCES incidents (id)
            );
            CREATE INDEX ix_decisions_at ON decisions (at);
            CREATE INDEX ix_decisions_target_at ON decisions (target, at);
            CREATE INDEX ix_decisions_incident ON decisions (incident_id);

            CREATE TABLE action_runs (
                id {id},
                incident_id BIGINT NOT NULL REFERENCES incidents (id),
                target TEXT NOT NULL,
                action TEXT NOT NULL,
                authority TEXT NOT NULL,
                rule TEXT NOT NULL,
                status TEXT NOT NULL,
                dry_run {bool} NOT NULL,
                created_at BIGINT NOT NULL,
                started_at BIGINT,
                completed_at BIGINT,
                reason TEXT
            );
            CREATE INDEX ix_action_runs_created_at ON action_runs (created_at);
            CREATE INDEX ix_action_runs_target_created_at ON action_runs (target, created_at);
            CREATE INDEX ix_action_runs_incident ON action_runs (incident_id);
            CREATE INDEX ix_action_runs_status ON action_runs (status);

            CREATE TABLE action_steps (
                run_id BIGINT NOT NULL REFERENCES action_runs (id),
                step_index INTEGER NOT NULL,
                action TEXT NOT NULL,
                parameters TEXT NOT NULL,
                status TEXT NOT NULL,
                started_at BIGINT,
                completed_at BIGINT,
                attempts INTEGER NOT NULL,
                result TEXT,
                error TEXT,
                PRIMARY KEY (run_id, step_index)
            );

            CREATE TABLE approvals (
                id {id},
                run_id BIGINT NOT NULL REFERENCES action_runs (id),
                incident_id BIGINT NOT NULL REFERENCES incidents (id),
                target TEXT NOT NULL,
                action TEXT NOT NULL,
                required_authority TEXT NOT NULL,
                status TEXT NOT NULL,
                requested_at BIGINT NOT NULL,
                decided_at BIGINT,
                decided_by TEXT,
                comment TEXT,
                escalation_level INTEGER NOT NULL,
                last_escalated_at BIGINT
            );
            CREATE INDEX ix_approvals_status_requested_at ON approvals (status, requested_at);

            CREATE TABLE alerts (
                id {id},
                fingerprint TEXT NOT NULL,
                status TEXT NOT NULL,
                alert_name TEXT NOT NULL,
                starts_at BIGINT NOT NULL,
                ends_at BIGINT,
                received_at BIGINT NOT NULL,
                target TEXT,
                payload TEXT NOT NULL
            );
            -- Alertmanager resends an alert at every group interval; the same fingerprint, status and start is one alert.
            CREATE UNIQUE INDEX ux_alerts_fingerprint_status_starts_at ON alerts (fingerprint, status, starts_at);
            CREATE INDEX ix_alerts_received_at ON alerts (received_at);

            CREATE TABLE notifications (
                id {id},
                incident_id BIGINT REFERENCES incidents (id),
                event_key TEXT NOT NULL,
                channel TEXT NOT NULL,
                kind TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                sent_at BIGINT,
                last_error TEXT
            );
            -- The same event is never sent twice on a channel.
            CREATE UNIQUE INDEX ux_notifications_channel_event_key ON notifications (channel, event_key);
            CREATE INDEX ix_notifications_status_created_at ON notifications (status, created_at);
            CREATE INDEX ix_notifications_incident ON notifications (incident_id);

            CREATE TABLE bad_revisions (
                id {id},
                target TEXT NOT NULL,
                resource TEXT NOT NULL,
                revision TEXT NOT NULL,
                incident_id BIGINT REFERENCES incidents (id),
                marked_at BIGINT NOT NULL
            );
            CREATE UNIQUE INDEX ux_bad_revisions_target_resource_revision ON bad_revisions (target, resource, revision);
            """),
        new(2, "known-good revisions, for deployment-undo's last-known-good mode", """
            CREATE TABLE known_good_revisions (
                id {id},
                target TEXT NOT NULL,
                resource TEXT NOT NULL,
                template_hash TEXT NOT NULL,
                revision TEXT NOT NULL,
                healthy_since BIGINT NOT NULL,
                recorded_at BIGINT NOT NULL
            );
            CREATE UNIQUE INDEX ux_known_good_target_resource_hash ON known_good_revisions (target, resource, template_hash);
            """),
        new(3, "alerts' last-seen time, for their retention", """
            -- When a copy of the alert last arrived: Alertmanager re-sends a firing alert every repeat_interval, and
            -- each copy renews it, so that retention removes only alerts that have stopped coming.
            ALTER TABLE alerts ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
            UPDATE alerts SET last_seen_at = received_at;
            CREATE INDEX ix_alerts_last_seen_at ON alerts (last_seen_at);
            """),
        new(4, "when an incident's breach began, for breach-to-action durations", """
            -- The start of the trigger rule's `for` window. Null for incidents stored before: their durations count
            -- from detection, because when their breach began was never recorded.
            ALTER TABLE incidents ADD COLUMN breach_started_at BIGINT;
            """),
        new(5, "leader epochs, for fencing a deposed leader's writes", """
            -- One row per leader lock: the epoch of the current term. The leader's transactions check it at commit
            -- (PostgreSQL: FOR SHARE, so a new term's increment waits for them or they see it and roll back).
            CREATE TABLE leader_epochs (
                name TEXT PRIMARY KEY,
                epoch BIGINT NOT NULL,
                holder TEXT NOT NULL,
                since BIGINT NOT NULL
            );
            """),
    ];
}
