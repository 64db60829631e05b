using System.CommandLine;
using RemediationWorker.Commands;

var root = new RootCommand("RemediationWorker: heals AWS delivery infrastructure from EventBridge events.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
return root.Parse(args).Invoke();
