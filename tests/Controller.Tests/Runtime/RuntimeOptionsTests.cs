using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>The runtime's options: one default per setting (<see cref="RuntimeDefaults"/>) wherever it is offered, and a refusal naming the setting.</summary>
public sealed class RuntimeOptionsTests
{
    [Fact]
    public void A_setting_offered_in_several_options_types_has_the_same_default_in_each()
    {
        var controller = new ControllerOptions { Name = "c" };
        var pipeline = new PipelineControllerOptions();
        Assert.Equal(RuntimeDefaults.Workers, controller.Workers);
        Assert.Equal(RuntimeDefaults.Workers, pipeline.Workers);
        Assert.Equal(RuntimeDefaults.ReconcileTimeout, controller.ReconcileTimeout);
        Assert.Equal(RuntimeDefaults.ReconcileTimeout, pipeline.ReconcileTimeout);
        Assert.Equal(RuntimeDefaults.ShutdownTimeout, controller.ShutdownTimeout);
        Assert.Equal(RuntimeDefaults.ShutdownTimeout, pipeline.ShutdownTimeout);
        Assert.Equal(RuntimeDefaults.RetryBaseDelay, controller.Queue.BaseDelay);
        Assert.Equal(RuntimeDefaults.RetryBaseDelay, pipeline.RetryBaseDelay);
        Assert.Equal(RuntimeDefaults.ResyncPeriod, new InformerOptions<PulumiPipeline>().ResyncPeriod);
        Assert.Equal(RuntimeDefaults.ResyncPeriod, new ReconcilerHostOptions().ResyncPeriod);
        Assert.Equal(RuntimeDefaults.ResyncPeriod, new PipelineReconcilerOptions().ResyncPeriod);
        Assert.Equal(RuntimeDefaults.Shards, new LeaseOptions().Shards);
    }

    [Fact]
    public void The_defaults_pass_their_own_validation()
    {
        new ControllerOptions { Name = "c" }.Validate();
        new WorkQueueOptions().Validate();
        new InformerOptions<PulumiPipeline>().Validate();
        new LeaseOptions().Validate();
        new PipelineControllerOptions().Validate();
        new ReconcilerHostOptions().Validate();
    }

    [Fact]
    public void A_value_out_of_range_is_refused_with_the_setting_named()
    {
        AssertRefused("ControllerOptions.Workers", () => new ControllerOptions { Name = "c", Workers = 0 }.Validate());
        AssertRefused("ControllerOptions.ReconcileTimeout", () => new ControllerOptions { Name = "c", ReconcileTimeout = TimeSpan.Zero }.Validate());
        AssertRefused("WorkQueueOptions.MaxDelay", () => new ControllerOptions
        {
            Name = "c",
            Queue = new WorkQueueOptions { BaseDelay = TimeSpan.FromMinutes(10), MaxDelay = TimeSpan.FromMinutes(1) },
        }.Validate());
        AssertRefused("WorkQueueOptions.JitterFraction", () => new WorkQueueOptions { JitterFraction = 1.5 }.Validate());
        AssertRefused("InformerOptions.PageSize", () => new InformerOptions<PulumiPipeline> { PageSize = 0 }.Validate());
        AssertRefused("LeaseOptions.LeaseDuration", () => new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(1), RenewInterval = TimeSpan.FromSeconds(5) }.Validate());
        AssertRefused("PipelineControllerOptions.Workers", () => new PipelineControllerOptions { Workers = -1 }.Validate());
        AssertRefused("ReconcilerHostOptions.ResyncPeriod", () => new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromSeconds(-1) }.Validate());
    }

    [Fact]
    public void The_runtime_refuses_invalid_options_when_built()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkQueue<string>(new WorkQueueOptions { BaseDelay = TimeSpan.Zero }));
        Assert.Equal("WorkQueueOptions.BaseDelay", error.ParamName);
    }

    private static void AssertRefused(string setting, Action validate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(validate);
        Assert.Equal(setting, error.ParamName);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
