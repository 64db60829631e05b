using System.CommandLine;
using RemediationWorker.Commands;

var root = new RootCommand("RemediationWorker: heals AWS delivery infrastructure from EventBridge events.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(TestPatternCommand.Create());
root.Subcommands.Add(HealthCommand.Create());
// `run` is the default: the container's entry point starts the worker with no arguments.
root.SetAction((parseResult, cancellationToken) => RunCommand.RunAsync(config: null, once: false, parseResult.InvocationConfiguration.Error, cancellationToken));
var parseResult = root.Parse(args);
var exitCode = parseResult.Invoke();
// A usage error exits 2, as grep's does: System.CommandLine's own 1 would read as test-pattern's "no match".
return parseResult.Errors.Count > 0 ? 2 : exitCode;
