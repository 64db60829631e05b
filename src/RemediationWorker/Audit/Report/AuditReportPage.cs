using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace RemediationWorker.Audit.Report;

/// <summary>Writes the report as one self-contained HTML page: the style and the script inline (embedded resources
/// <c>report.css</c> and <c>report.js</c> beside this file), the records as a JSON data block, and a
/// <c>Content-Security-Policy</c> of <c>default-src 'none'</c> that allows only that script and that style by their
/// SHA-256 (so nothing is fetched, and no script or style that a value might smuggle in would run). The script
/// renders every value with <c>textContent</c>.</summary>
internal static class AuditReportPage
{
    private static readonly string Style = Resource("report.css");
    private static readonly string Script = Resource("report.js");

    /// <summary>The policy in the page's meta element: the hashes of its one script and one style element.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; script-src '{Hash(Script)}'; style-src '{Hash(Style)}'; base-uri 'none'; form-action 'none'";

    public static async Task WriteAsync(AuditReportData data, Stream output, DateTimeOffset generated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(output);
        await WriteTextAsync(output, $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="{{ContentSecurityPolicy}}">
            <meta name="referrer" content="no-referrer">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Remediation audit report</title>
            <style>{{Style}}</style>
            </head>
            <body>
            <header>
            <h1>Remediation audit report</h1>
            <p id="generated"></p>
            <section id="verification" aria-live="polite"></section>
            <section id="totals"></section>
            </header>
            <form id="filters" role="search">
            <label>Playbook <select id="filter-playbook"><option value="">all</option></select></label>
            <label>Decision <select id="filter-decision"><option value="">all</option></select></label>
            <label>Resource <input id="filter-resource" type="search" placeholder="stack, project, ARN or prefix*" autocomplete="off"></label>
            <label>From (UTC) <input id="filter-since" type="datetime-local" step="1"></label>
            <label>To (UTC) <input id="filter-until" type="datetime-local" step="1"></label>
            <button id="filter-clear" type="button">Clear</button>
            <output id="filter-count"></output>
            </form>
            <main id="timeline"><noscript>This report draws its timeline with JavaScript.</noscript></main>
            <script type="application/json" id="audit-data">
            """, cancellationToken);
        data.WriteJson(output, generated);
        await WriteTextAsync(output, $"""

            </script>
            <script>{Script}</script>
            </body>
            </html>

            """, cancellationToken);
    }

    private static async Task WriteTextAsync(Stream output, string text, CancellationToken cancellationToken)
        => await output.WriteAsync(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n")), cancellationToken);

    /// <summary>A CSP source expression for an inline element: the base64 SHA-256 of its UTF-8 text.</summary>
    private static string Hash(string inline) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline.ReplaceLineEndings("\n"))));

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"RemediationWorker.Audit.Report.{name}")
            ?? throw new InvalidOperationException($"the embedded resource {name} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}
