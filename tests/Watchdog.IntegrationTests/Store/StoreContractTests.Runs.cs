using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Store;
using static Watchdog.IntegrationTests.Store.StoreSamples;

namespace Watchdog.IntegrationTests.Store;

/// <summary>Action runs, their steps, and approvals.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task InsertRun_ReturnsANewId_AndEveryFieldReadsBack_AndUpdateWritesEveryField()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        var run = await InTransactionAsync(tx => tx.InsertRunAsync(Run(incident.Id), Ct));

        run.Id.ShouldBeGreaterThan(0);
        (await Store.GetRunAsync(run.Id, Ct)).ShouldBe(run);

        var finished = run with
        {
            Action = DecisionAction.Scale,
            Authority = Authority.OnCall,
            Rule = "row 4",
            Status = ActionRunStatus.Failed,
            DryRun = true,
            StartedAt = At(1),
            CompletedAt = At(61),
            Reason = "webhook answered 500",
        };
        await InTransactionAsync(tx => tx.UpdateRunAsync(finished, Ct));

        (await Store.GetRunAsync(run.Id, Ct)).ShouldBe(finished);
    }

    [Fact]
    public async Task Runs_StoreEveryStatus()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        var stored = await InTransactionAsync(async tx =>
        {
            var all = new List<ActionRun>();
            var second = 0;
            foreach (var status in AllOf<ActionRunStatus>())
            {
                all.Add(await tx.InsertRunAsync(Run(incident.Id, createdAt: second++) with { Status = status, DryRun = status == ActionRunStatus.DryRun }, Ct));
            }

            return all;
        });

        (await Store.ListRunsAsync(new(), Ct)).ShouldBe(stored);
    }

    [Fact]
    public async Task ListRuns_FiltersByTargetIncidentStatusesAndSince_OldestFirst_UpToTheLimit()
    {
        var (checkout, search) = await InTransactionAsync(async tx =>
            (await tx.InsertIncidentAsync(Incident("checkout"), Ct), await tx.InsertIncidentAsync(Incident("search"), Ct)));
        var (a, b, c, d) = await InTransactionAsync(async tx => (
            await tx.InsertRunAsync(Run(checkout.Id, "checkout", createdAt: 30) with { Status = ActionRunStatus.Succeeded }, Ct),
            await tx.InsertRunAsync(Run(search.Id, "search", createdAt: 10) with { Status = ActionRunStatus.Running }, Ct),
            await tx.InsertRunAsync(Run(checkout.Id, "checkout", createdAt: 20) with { Status = ActionRunStatus.AwaitingApproval }, Ct),
            await tx.InsertRunAsync(Run(checkout.Id, "checkout", createdAt: 20) with { Status = ActionRunStatus.Failed }, Ct)));

        (await Store.ListRunsAsync(new(), Ct)).ShouldBe([b, c, d, a]);
        (await Store.ListRunsAsync(new(Limit: 2), Ct)).ShouldBe([b, c]);
        (await Store.ListRunsAsync(new(Target: "checkout"), Ct)).ShouldBe([c, d, a]);
        (await Store.ListRunsAsync(new(IncidentId: search.Id), Ct)).ShouldBe([b]);
        (await Store.ListRunsAsync(new(Statuses: [ActionRunStatus.Running, ActionRunStatus.AwaitingApproval]), Ct)).ShouldBe([b, c]);
        (await Store.ListRunsAsync(new(Statuses: []), Ct)).ShouldBeEmpty();
        (await Store.ListRunsAsync(new(Since: At(20)), Ct)).ShouldBe([c, d, a]);
        (await Store.ListRunsAsync(new(Target: "checkout", IncidentId: checkout.Id, Statuses: [ActionRunStatus.Failed], Since: At(20)), Ct)).ShouldBe([d]);
    }

    [Fact]
    public async Task Steps_ReadBackInPlanOrder_WithEveryFieldAndTheirParameters()
    {
        var (_, run) = await SeedRunAsync();
        var (_, otherRun) = await SeedRunAsync("search");
        var parameters = new Dictionary<string, string>
        {
            ["url"] = "https://ci.example/job?x=1&y=2",
            ["body"] = """{"quoted": "yes", "newline": "a\nb"}""",
            ["ünïcode"] = "✓ 100%",
            ["empty"] = "",
        };
        var started = new ActionStep(run.Id, 2, "deployment-undo", parameters)
        {
            Status = StepStatus.Started,
            StartedAt = At(3),
            Attempts = 1,
        };
        var none = new ActionStep(run.Id, 0, "notify-only", new Dictionary<string, string>());

        await InTransactionAsync(async tx =>
        {
            await tx.InsertStepAsync(started, Ct);
            await tx.InsertStepAsync(Step(otherRun.Id, 0), Ct);
            await tx.InsertStepAsync(none, Ct);
            await tx.InsertStepAsync(Step(run.Id, 1), Ct);
        });

        var steps = await Store.GetStepsAsync(run.Id, Ct);
        steps.Select(s => s.Index).ShouldBe([0, 1, 2]);
        ShouldBeSameStep(steps[0], none);
        ShouldBeSameStep(steps[1], Step(run.Id, 1));
        ShouldBeSameStep(steps[2], started);
    }

    [Fact]
    public async Task UpdateStep_WritesEveryField_AndAStepCannotBeInsertedTwice()
    {
        var (_, run) = await SeedRunAsync();
        await InTransactionAsync(tx => tx.InsertStepAsync(Step(run.Id, 0), Ct));
        var done = new ActionStep(run.Id, 0, "flag-reduce", new Dictionary<string, string> { ["flag"] = "checkout-v2" })
        {
            Status = StepStatus.Succeeded,
            StartedAt = At(1),
            CompletedAt = At(2),
            Attempts = 2,
            Result = """{"before":50,"after":0}""",
            Error = "first attempt timed out",
        };

        await InTransactionAsync(async tx =>
        {
            await tx.UpdateStepAsync(done, Ct);
            await Should.ThrowAsync<StoreConflictException>(() => tx.InsertStepAsync(Step(run.Id, 0), Ct));
        });

        ShouldBeSameStep((await Store.GetStepsAsync(run.Id, Ct)).Single(), done);
    }

    [Fact]
    public async Task Steps_StoreEveryStatus()
    {
        var (_, run) = await SeedRunAsync();
        var statuses = AllOf<StepStatus>().ToList();

        await InTransactionAsync(async tx =>
        {
            for (var i = 0; i < statuses.Count; i++)
            {
                await tx.InsertStepAsync(Step(run.Id, i) with { Status = statuses[i] }, Ct);
            }
        });

        (await Store.GetStepsAsync(run.Id, Ct)).Select(s => s.Status).ShouldBe(statuses);
    }

    [Fact]
    public async Task InsertApproval_ReturnsANewId_AndEveryFieldReadsBack()
    {
        var (incident, run) = await SeedRunAsync();
        var decided = Approval(run.Id, incident.Id) with
        {
            Action = DecisionAction.StopWrites,
            Required = Authority.Cto,
            Status = ApprovalStatus.AutoApproved,
            DecidedAt = At(1800),
            DecidedBy = "auto",
            Comment = "nobody answered in 30m",
            EscalationLevel = 2,
            LastEscalatedAt = At(1800),
        };
        var pending = Approval(run.Id, incident.Id, requestedAt: 1);

        var (first, second) = await InTransactionAsync(async tx =>
            (await tx.InsertApprovalAsync(decided, Ct), await tx.InsertApprovalAsync(pending, Ct)));

        first.Id.ShouldBeGreaterThan(0);
        second.Id.ShouldNotBe(first.Id);
        (await Store.GetApprovalAsync(first.Id, Ct)).ShouldBe(decided with { Id = first.Id });
        (await Store.GetApprovalAsync(second.Id, Ct)).ShouldBe(pending with { Id = second.Id });
    }

    [Fact]
    public async Task ListApprovals_FiltersByStatus_OldestFirst()
    {
        var (incident, run) = await SeedRunAsync();
        var byStatus = await InTransactionAsync(async tx =>
        {
            var all = new List<Approval>();
            var second = 100;
            foreach (var status in AllOf<ApprovalStatus>())
            {
                all.Add(await tx.InsertApprovalAsync(Approval(run.Id, incident.Id, requestedAt: second--) with { Status = status }, Ct));
            }

            return all;
        });
        var early = await InTransactionAsync(tx => tx.InsertApprovalAsync(Approval(run.Id, incident.Id, requestedAt: 0), Ct));

        (await Store.ListApprovalsAsync(null, Ct)).ShouldBe([early, .. Enumerable.Reverse(byStatus)]);
        (await Store.ListApprovalsAsync(ApprovalStatus.Pending, Ct)).ShouldBe([early, byStatus[0]]);
        foreach (var approval in byStatus.Skip(1))
        {
            (await Store.ListApprovalsAsync(approval.Status, Ct)).ShouldBe([approval]);
        }
    }

    [Fact]
    public async Task UpdateApproval_WritesOnlyWhileTheStatusIsStillTheExpectedOne()
    {
        var (incident, run) = await SeedRunAsync();
        var approval = await InTransactionAsync(tx => tx.InsertApprovalAsync(Approval(run.Id, incident.Id), Ct));
        var escalated = approval with { EscalationLevel = 1, LastEscalatedAt = At(900) };
        var approved = escalated with { Status = ApprovalStatus.Approved, DecidedAt = At(1000), DecidedBy = "alice", Comment = "go" };
        var rejected = escalated with { Status = ApprovalStatus.Rejected, DecidedAt = At(1001), DecidedBy = "bob" };

        (await InTransactionAsync(tx => tx.UpdateApprovalAsync(escalated, ApprovalStatus.Pending, Ct))).ShouldBeTrue();
        (await InTransactionAsync(tx => tx.UpdateApprovalAsync(approved, ApprovalStatus.Pending, Ct))).ShouldBeTrue();
        (await InTransactionAsync(tx => tx.UpdateApprovalAsync(rejected, ApprovalStatus.Pending, Ct))).ShouldBeFalse();
        (await InTransactionAsync(tx => tx.UpdateApprovalAsync(approved with { Id = 4242 }, ApprovalStatus.Pending, Ct))).ShouldBeFalse();

        (await Store.GetApprovalAsync(approval.Id, Ct)).ShouldBe(approved);
    }

    [Fact]
    public async Task UpdateApproval_TwoApproversAtOnce_OnlyOneWins()
    {
        var (incident, run) = await SeedRunAsync();
        var approval = await InTransactionAsync(tx => tx.InsertApprovalAsync(Approval(run.Id, incident.Id), Ct));
        var approved = approval with { Status = ApprovalStatus.Approved, DecidedAt = At(60), DecidedBy = "alice" };
        var rejected = approval with { Status = ApprovalStatus.Rejected, DecidedAt = At(61), DecidedBy = "bob" };

        await using var first = await Store.BeginAsync(Ct);
        (await first.UpdateApprovalAsync(approved, ApprovalStatus.Pending, Ct)).ShouldBeTrue();

        // The second waits for the first (its transaction, or the row lock) and must then find the status changed.
        var second = Task.Run(async () =>
        {
            await using var tx = await Store.BeginAsync(Ct);
            var written = await tx.UpdateApprovalAsync(rejected, ApprovalStatus.Pending, Ct);
            await tx.CommitAsync(Ct);
            return written;
        });
        await Task.Delay(200, Ct);
        await first.CommitAsync(Ct);

        (await second).ShouldBeFalse();
        (await Store.GetApprovalAsync(approval.Id, Ct)).ShouldBe(approved);
    }

    private static void ShouldBeSameStep(ActionStep actual, ActionStep expected)
    {
        // Records compare dictionaries by reference; compare the parameters by content and the rest as a record.
        actual.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ShouldBe(expected.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        actual.ShouldBe(expected with { Parameters = actual.Parameters });
    }
}
