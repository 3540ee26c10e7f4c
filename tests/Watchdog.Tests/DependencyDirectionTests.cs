using System.Reflection;
using System.Reflection.Emit;
using Watchdog.Rules;

namespace Watchdog.Tests;

/// <summary>
/// The direction of dependencies between the daemon's folders (each folder is a namespace <c>Watchdog.X</c>), read
/// from the compiled assembly: every type's signatures (base type, interfaces, fields, properties, parameters,
/// return types, generic arguments, attributes' types) and the types and members its method bodies use (IL). A
/// dependency against the table fails, naming the types; a known exception that is no longer used fails too, so
/// the list only shrinks.
/// </summary>
public sealed class DependencyDirectionTests
{
    /// <summary>Who may use whom, bottom first. <c>Hosting</c> wires everything and may use every folder.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Rules"] = [],
        ["Plugins"] = [],
        ["Http"] = [],
        ["Secrets"] = [],
        ["Fencing"] = [],
        ["Records"] = ["Rules"],
        ["Configuration"] = ["Rules", "Secrets", "Plugins"],
        ["Store"] = ["Rules", "Configuration", "Records", "Fencing"],

        // Below the features, which count into it; it knows only values and the store's interface (for its gauges).
        ["Telemetry"] = ["Rules", "Configuration", "Records"],
        ["Signals"] = ["Rules", "Configuration", "Records", "Store", "Http", "Secrets", "Plugins", "Telemetry"],
        ["Kubernetes"] = ["Rules", "Configuration", "Http", "Secrets", "Fencing"],
        ["Leadership"] = ["Rules", "Configuration", "Records", "Kubernetes", "Telemetry", "Fencing"],
        ["Actions"] = ["Rules", "Configuration", "Records", "Store", "Kubernetes", "Flags", "Http", "Secrets", "Plugins", "Telemetry", "Fencing", "Leadership"],
        ["Incidents"] = ["Rules", "Configuration", "Records", "Store", "Actions", "Http", "Secrets", "Plugins", "Telemetry", "Fencing", "Leadership"],
        ["Flags"] = ["Rules", "Configuration", "Http", "Secrets", "Plugins", "Telemetry", "Fencing"],
        ["PolicyTesting"] = ["Rules", "Configuration"],
        ["Hosting"] = ["Rules", "Plugins", "Http", "Secrets", "Records", "Configuration", "Store", "Signals", "Kubernetes", "Actions", "Incidents", "PolicyTesting", "Flags", "Telemetry", "Fencing", "Leadership"],
    };

    /// <summary>The dependencies against the table that remain, each with why; the README's architecture section names them too.</summary>
    private static readonly Dictionary<(string From, string To), string> KnownExceptions = new()
    {
    };

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void Folders_DependOnlyDownward_AsTheTableSays()
    {
        var used = UsedFolders();
        var against = new List<string>();
        foreach (var ((from, to), types) in used.OrderBy(u => u.Key))
        {
            if (!Allowed.TryGetValue(from, out var allowed))
            {
                against.Add($"{from}: a folder the table does not know; add it to Allowed");
            }
            else if (!allowed.Contains(to) && !KnownExceptions.ContainsKey((from, to)))
            {
                against.Add($"{from} -> {to}: {string.Join(", ", types.Order(StringComparer.Ordinal).Take(5))}");
            }
        }

        against.ShouldBeEmpty("dependencies against the direction in DependencyDirectionTests.Allowed");
    }

    [Fact]
    public void KnownExceptions_AreStillNeeded()
    {
        var used = UsedFolders();

        KnownExceptions.Keys.Where(e => !used.ContainsKey(e)).Select(e => $"{e.From} -> {e.To}")
            .ShouldBeEmpty("no longer used: remove from DependencyDirectionTests.KnownExceptions");
    }

    /// <summary>(from, to) folder pairs, with the types of <c>from</c> that use <c>to</c>.</summary>
    private static Dictionary<(string From, string To), HashSet<string>> UsedFolders()
    {
        var assembly = typeof(KebabNames<>).Assembly;
        var used = new Dictionary<(string, string), HashSet<string>>();
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type) is not { } from)
            {
                continue;
            }

            foreach (var referenced in References(type).Where(t => t.Assembly == assembly))
            {
                if (FolderOf(referenced) is { } to && to != from)
                {
                    var key = (from, to);
                    if (!used.TryGetValue(key, out var types))
                    {
                        used[key] = types = [];
                    }

                    types.Add(OuterName(type));
                }
            }
        }

        return used;
    }

    /// <summary>The folder of a type of ours; null for what the compiler generates outside our namespaces (anonymous types, generated regexes).</summary>
    private static string? FolderOf(Type type)
    {
        var outer = type;
        while (outer.DeclaringType is { } declaring)
        {
            outer = declaring;
        }

        if (outer.Namespace is null)
        {
            return outer.Name == "Program" ? "Hosting" : null; // Program sits at the root and is the host.
        }

        var parts = outer.Namespace.Split('.');
        return parts[0] == "Watchdog" && parts.Length > 1 ? parts[1] : null;
    }

    private static string OuterName(Type type) => type.DeclaringType is { } outer ? OuterName(outer) : type.Name;

    private static HashSet<Type> References(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || !found.Add(t))
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }

            if (t.IsGenericType)
            {
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (var attribute in type.GetCustomAttributesData())
        {
            Add(attribute.AttributeType);
        }

        foreach (var field in type.GetFields(All))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(All))
        {
            Add(property.PropertyType);
        }

        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            foreach (var t in BodyReferences(method))
            {
                Add(t);
            }
        }

        return found;
    }

    /// <summary>The types a method body names: the declaring types of the methods and fields it uses, and the types it creates, casts to or loads.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var module = method.Module;
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                yield break; // not an opcode: stop reading this body rather than guess
            }

            var operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
            if (op.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                Type? referenced = null;
                try
                {
                    var token = BitConverter.ToInt32(il, i);
                    referenced = op.OperandType switch
                    {
                        OperandType.InlineType => module.ResolveType(token, typeArguments, methodArguments),
                        OperandType.InlineMethod => module.ResolveMethod(token, typeArguments, methodArguments)?.DeclaringType,
                        OperandType.InlineField => module.ResolveField(token, typeArguments, methodArguments)?.DeclaringType,
                        _ => module.ResolveMember(token, typeArguments, methodArguments) switch
                        {
                            Type t => t,
                            MemberInfo m => m.DeclaringType,
                            _ => null,
                        },
                    };
                }
                catch (ArgumentException)
                {
                    // A token into another module's generic context: its declaring type is outside this assembly anyway.
                }

                if (referenced is not null)
                {
                    yield return referenced;
                }
            }

            i += operand;
        }
    }
}
