using System.CommandLine;

var root = new RootCommand("RemediationWorker: heals AWS delivery infrastructure from EventBridge events.");
root.Subcommands.Add(RemediationWorker.Commands.AuditCommand.Create());
return root.Parse(args).Invoke();
