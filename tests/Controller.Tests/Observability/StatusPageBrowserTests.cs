using Microsoft.Playwright;
using Reconciler.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace Reconciler.Controller.Tests.Observability;

/// <summary>The status page in a real browser: Debian's chromium (test.sh installs it), driven by Playwright, no browser download.</summary>
public class StatusPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_page_lists_every_spec_with_its_phase_marks_the_drifted_one_and_a_spec_page_shows_its_resources()
    {
        // No skip: without the browser this test fails and says how to get it.
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./test.sh installs it (apt-get install -y chromium); run that, or install it, then run this test again");
        // Next to the test results test.sh collects (TestResults/ at the repository root).
        var artifacts = RepositoryPaths.Combine("TestResults", "status-page");
        Directory.CreateDirectory(artifacts);

        await using var run = await ObservedRun.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Tests may run as root in a container, where chromium's sandbox cannot start.
            Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });

        await page.GotoAsync(run.Page.Address.ToString());
        await Expect(page.Locator("body[data-loaded=true]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#specs tbody tr")).ToHaveCountAsync(run.Names.Count);
        foreach (var name in run.Names)
        {
            var row = page.Locator($"#specs tbody tr[data-name='{name}']");
            await Expect(row).ToBeVisibleAsync();
            await Expect(row.Locator("td.phase")).ToHaveTextAsync(name == ObservedRun.DriftedSpec ? "Drifted" : "Ready");
        }
        var drifted = page.Locator($"#specs tbody tr[data-name='{ObservedRun.DriftedSpec}']");
        await Expect(drifted).ToHaveClassAsync("drifted");
        await Expect(drifted.Locator(".badge-drifted")).ToHaveTextAsync("DRIFTED");
        await Expect(page.Locator("#specs .badge-drifted")).ToHaveCountAsync(1);
        await Expect(page.Locator("#controller")).ToContainTextAsync("shards 4/4 held");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "list.png"), FullPage = true });

        // The phase filter narrows the list without reloading the page.
        await page.Locator("#phase").SelectOptionAsync("Drifted");
        await Expect(page.Locator("#specs tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#range")).ToHaveTextAsync("1–1 of 1");

        await drifted.Locator("a").ClickAsync();
        await Expect(page.Locator("body[data-page=spec][data-loaded=true]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#name")).ToHaveTextAsync(ObservedRun.DriftedSpec);
        await Expect(page.Locator("#headline .badge-drifted")).ToBeVisibleAsync();
        var resources = page.Locator("#resources tbody tr");
        await Expect(resources.First).ToBeVisibleAsync();
        Assert.True(await resources.CountAsync() >= 3, "every stage's project is listed");
        await Expect(page.Locator("#resources td.arn").First).ToContainTextAsync("arn:aws:codebuild:");
        await Expect(page.Locator("#conditions")).ToContainTextAsync("Drifted");
        await Expect(page.Locator("#history tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("#trace")).ToHaveAttributeAsync("href", "http://tempo.example/trace/0af7651916cd43dd8448eb211c80319c");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "spec.png"), FullPage = true });

        Assert.True(new FileInfo(Path.Combine(artifacts, "list.png")).Length > 0);
    }
}
