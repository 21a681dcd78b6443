using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>
/// The methods of our assemblies reachable from a root type, read from their IL; it also collects every method of
/// another assembly that a reachable method calls.
/// </summary>
/// <remarks>
/// Conservative in the usual way of class-hierarchy analysis: a call to a virtual or interface method of ours reaches
/// every override and implementation in our assemblies; a type that is constructed, or named as a generic argument
/// (async state machines, dependency injection), has all its virtual methods reached, since outside code may call them;
/// a compiler-generated type (closures, state machines, iterators) is reached whole once touched.
/// </remarks>
internal sealed class IlCallGraph
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private readonly HashSet<Assembly> _ours;
    private readonly Type[] _ourTypes;
    private readonly HashSet<(Module, int)> _reached = [];
    private readonly HashSet<Type> _activated = [];
    private readonly Queue<MethodBase> _pending = new();
    private readonly Dictionary<(Module, int), MethodBase> _externalCalls = [];
    private readonly Dictionary<MethodBase, MethodBase?> _reachedFrom = [];
    private MethodBase? _current;

    private IlCallGraph(IEnumerable<Assembly> assemblies)
    {
        _ours = [.. assemblies];
        _ourTypes = [.. _ours.SelectMany(a => a.GetTypes())];
    }

    /// <summary>Every method of <paramref name="assemblies"/> reached from any method of <paramref name="root"/>.</summary>
    public IReadOnlyCollection<MethodBase> Methods { get; private set; } = [];

    /// <summary>Methods of other assemblies (the AWS SDK, the BCL) that reached methods call.</summary>
    public IReadOnlyCollection<MethodBase> ExternalCalls => _externalCalls.Values;

    /// <summary>How a reached method was reached: it, the method whose body led to it, and so on up to the root.</summary>
    public IReadOnlyList<string> PathTo(MethodBase method)
    {
        var path = new List<string>();
        for (MethodBase? step = Definition(method); step is not null && path.Count < 50; step = _reachedFrom.GetValueOrDefault(step))
        {
            path.Add($"{step.DeclaringType?.FullName}.{step.Name}");
        }
        return path;
    }

    public static IlCallGraph From(Type root, IEnumerable<Assembly> assemblies)
    {
        var graph = new IlCallGraph(assemblies);
        graph.ActivateWhole(root);
        var methods = new List<MethodBase>();
        while (graph._pending.TryDequeue(out var method))
        {
            methods.Add(method);
            graph._current = method;
            graph.Scan(method);
        }
        graph.Methods = methods;
        return graph;
    }

    private bool IsOurs(Type type) => _ours.Contains(type.Assembly);

    private void Reach(MethodBase method)
    {
        var definition = Definition(method);
        if (IsOurs(definition.Module.Assembly) && _reached.Add((definition.Module, definition.MetadataToken)))
        {
            _reachedFrom[definition] = _current;
            _pending.Enqueue(definition);
        }
    }

    private bool IsOurs(Assembly assembly) => _ours.Contains(assembly);

    private static MethodBase Definition(MethodBase method)
    {
        if (method is MethodInfo { IsGenericMethod: true, IsGenericMethodDefinition: false } generic)
        {
            method = generic.GetGenericMethodDefinition();
        }
        var type = method.DeclaringType;
        if (type is { IsGenericType: true, IsGenericTypeDefinition: false })
        {
            var definitionType = type.GetGenericTypeDefinition();
            return definitionType.GetMembers(Everything).OfType<MethodBase>().Single(m => m.MetadataToken == method.MetadataToken);
        }
        return method;
    }

    private void ActivateWhole(Type type)
    {
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            Reach(method);
        }
        foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
        {
            Activate(nested);
        }
    }

    private void Activate(Type type)
    {
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Activate(argument);
            }
            type = type.GetGenericTypeDefinition();
        }
        if (type.HasElementType)
        {
            Activate(type.GetElementType()!);
            return;
        }
        if (type.IsGenericParameter || !IsOurs(type) || !_activated.Add(type))
        {
            return;
        }
        if (type.IsDefined(typeof(CompilerGeneratedAttribute), false))
        {
            ActivateWhole(type);
            return;
        }
        // Code outside our assemblies may call what overrides or implements its own virtual members (Dispose,
        // MoveNext, a hosted service's StartAsync); our own interfaces' members are reached only through their calls.
        foreach (var method in type.GetMethods(Everything).Where(m => m.IsVirtual && !IsOurs(m.GetBaseDefinition().DeclaringType!)))
        {
            Reach(method);
        }
        foreach (var face in type.GetInterfaces().Where(i => !IsOurs(i) && !type.IsInterface))
        {
            foreach (var method in type.GetInterfaceMap(face).TargetMethods.Where(m => m.DeclaringType == type))
            {
                Reach(method);
            }
        }
        // Static state (field initialisers, static constructors) runs whenever the type is used.
        if (type.TypeInitializer is { } initializer)
        {
            Reach(initializer);
        }
    }

    private void Called(MethodBase target)
    {
        if (target.DeclaringType is { } declaring)
        {
            Activate(declaring);
        }
        if (target is MethodInfo { IsGenericMethod: true } generic)
        {
            foreach (var argument in generic.GetGenericArguments())
            {
                Activate(argument);
            }
        }
        var definition = Definition(target);
        if (!IsOurs(definition.Module.Assembly))
        {
            _externalCalls.TryAdd((definition.Module, definition.MetadataToken), target);
            return;
        }
        Reach(definition);
        if (definition.IsVirtual || definition.IsAbstract)
        {
            foreach (var implementation in Implementations(definition))
            {
                Reach(implementation);
            }
        }
    }

    // Every method of our assemblies that overrides or implements the given one.
    private IEnumerable<MethodBase> Implementations(MethodBase method)
    {
        var declaring = method.DeclaringType!;
        if (declaring.IsInterface)
        {
            foreach (var type in _ourTypes.Where(t => !t.IsInterface))
            {
                foreach (var face in type.GetInterfaces().Where(i => (i.IsGenericType ? i.GetGenericTypeDefinition() : i) == declaring))
                {
                    var map = type.GetInterfaceMap(face);
                    for (var i = 0; i < map.InterfaceMethods.Length; i++)
                    {
                        if (map.InterfaceMethods[i].MetadataToken == method.MetadataToken)
                        {
                            yield return map.TargetMethods[i];
                        }
                    }
                }
            }
            yield break;
        }
        var baseDefinition = ((MethodInfo)method).GetBaseDefinition();
        foreach (var type in _ourTypes)
        {
            foreach (var candidate in type.GetMethods(Everything).Where(m => m.IsVirtual))
            {
                var candidateBase = candidate.GetBaseDefinition();
                if (candidateBase.MetadataToken == baseDefinition.MetadataToken && candidateBase.Module == baseDefinition.Module)
                {
                    yield return candidate;
                }
            }
        }
    }

    private void Scan(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return;
        }
        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } g ? g.GetGenericArguments() : null;
        var module = method.Module;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }
            var code = OpCodesByValue[value];
            var operandStart = position;
            position += OperandSize(code.OperandType, il, position);
            if (code.OperandType is not (OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok))
            {
                continue;
            }
            var token = BitConverter.ToInt32(il, operandStart);
            MemberInfo? member;
            try
            {
                member = module.ResolveMember(token, typeArguments, methodArguments);
            }
            catch (ArgumentException)
            {
                continue;
            }
            switch (member)
            {
                case MethodBase target:
                    Called(target);
                    break;
                case FieldInfo field when field.DeclaringType is { } owner:
                    Activate(owner);
                    break;
                case Type type:
                    Activate(type);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };
}
