namespace Watchdog.Tests.Configuration;

internal static class ConfigSamples
{
    /// <summary>A Prometheus source, one signal and the fake <c>runbook-matrix</c> policy: the head of configs that add their own targets.</summary>
    public const string PrometheusAndMatrix = """
        sources:
          prometheus:
            url: http://127.0.0.1:9090
        signals:
          error_rate:
            source: prometheus
            query: 'rate(errors{app="{{target}}"}[1m])'
        policies:
          - policies/matrix.yaml
        """;

    /// <summary>The smallest config that loads: one target on the fake <c>runbook-matrix</c>.</summary>
    public const string Minimal = """
        sources:
          prometheus:
            url: http://127.0.0.1:9090
        signals:
          error_rate:
            source: prometheus
            query: 'rate(errors{app="{{target}}"}[1m])'
        policies:
          - policies/matrix.yaml
          - policies/tree.yaml
        targets:
          - name: checkout
            policy: runbook-matrix
            health:
              - url: http://checkout/healthz
        """;

    /// <summary>Every key of the schema, set to something other than its default.</summary>
    public const string Full = """
        http:
          listen: http://127.0.0.1:8081
          tokens:
            - name: alice
              role: on-call
              token: s3cret-alice
            - name: bob
              role: team-lead
              token_file: secrets/bob
        logging:
          format: json
          level: Debug
        store:
          kind: sqlite
          path: data/test.db
        sources:
          prometheus:
            url: http://prometheus:9090
            timeout: 3s
            bearer_token_file: secrets/prometheus
            headers: {X-Scope-OrgID: tenant-1}
        signals:
          error_rate:
            source: prometheus
            query: 'rate(errors{namespace="{{namespace}}",app="{{target}}"}[1m])'
            group_by: [namespace, target]
          health_check_failure_ratio:
            source: health
        policies:
          - policies/matrix.yaml
          - policies/tree.yaml
        notifications:
          - name: incidents
            kind: slack
            url: https://hooks.example/T000
        defaults:
          interval: 20s
          dry_run: true
        targets:
          - name: checkout
            policy: runbook-matrix
            interval: 30s
            dry_run: false
            variables: {namespace: production, deployment: checkout}
            health:
              - url: http://checkout/healthz
                method: head
                expect_status: "204"
                body_contains: ok
                timeout: 2s
            plans:
              rollback:
                - action: flag-reduce
                  flag: checkout-v2
                - action: deployment-undo
                  deployment: checkout
          - name: wms-backend
            policy: runbook-tree
            variables: {namespace: wms}
            health:
              - url: http://wms/health
        flags:
          - {name: unleash, kind: unleash, url: "http://unleash:4242", environment: production, token_file: secrets/unleash}
        """;
}
