using System.Text.Json;
using Watchdog.Rules;

namespace Watchdog.Tests.Rules;

public sealed class SignalNumberJsonConverterTests
{
    [Theory]
    [InlineData(double.PositiveInfinity, "\"+Inf\"")]
    [InlineData(double.NegativeInfinity, "\"-Inf\"")]
    [InlineData(double.NaN, "\"NaN\"")]
    [InlineData(0.5, "0.5")]
    [InlineData(-2.0, "-2")]
    public void Write_SpellsWhatJsonHasNoNumberForAsPrometheusDoes_AndReadsItBack(double value, string json)
    {
        JsonSerializer.Serialize(value, SignalNumberJsonConverter.Options).ShouldBe(json);
        JsonSerializer.Deserialize<double>(json, SignalNumberJsonConverter.Options).ShouldBe(value);
    }

    [Fact]
    public void Write_NullableAndNested_UseTheConverterToo()
    {
        var shape = new { Value = (double?)double.PositiveInfinity, None = (double?)null, All = new[] { double.NegativeInfinity, 1.0 } };

        JsonSerializer.Serialize(shape, SignalNumberJsonConverter.Options).ShouldBe("""{"Value":"+Inf","None":null,"All":["-Inf",1]}""");
    }

    [Fact]
    public void Read_AStringThatIsNoNumber_IsAJsonError()
    {
        var ex = Should.Throw<JsonException>(() => JsonSerializer.Deserialize<double>("\"lots\"", SignalNumberJsonConverter.Options));

        ex.Message.ShouldContain("lots");
    }
}
