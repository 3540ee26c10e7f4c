using Watchdog.PolicyTesting;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.PolicyTesting;

public sealed class ShippedPolicyTests
{
    public static TheoryData<string> TestFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Of("tests", "policies"), "*.yaml").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TestFiles))]
    public void TestRules_ShippedPolicyTestFile_AllTestsPass(string file)
    {
        var output = new StringWriter();

        var exit = PolicyTestRunner.Run([RepositoryPaths.Of("tests", "policies", file)], output);

        exit.ShouldBe(0, output.ToString());
        output.ToString().ShouldMatch(@"^[1-9]\d* passed, 0 failed", output.ToString());
    }

    [Fact]
    public void TestRules_ShippedPolicyTests_CoverEveryRowAndLeaf()
    {
        foreach (var file in Directory.GetFiles(RepositoryPaths.Of("tests", "policies"), "*.yaml"))
        {
            var (testFile, errors) = PolicyTestFileReader.Read(file);
            errors.ShouldBeEmpty();
            var policy = Watchdog.Configuration.PolicyFileParser.ParseFile(testFile!.PolicyPath).Policy!;
            var expectedRules = testFile.Tests.SelectMany(t => t.Expectations).Select(e => e.Rule).ToHashSet();

            policy.RuleIds.Where(id => !expectedRules.Contains(id)).ShouldBeEmpty($"rules of {policy.Name} no test expects");
        }
    }
}
