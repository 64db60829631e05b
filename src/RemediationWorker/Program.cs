using System.CommandLine;

var root = new RootCommand("RemediationWorker: heals AWS delivery infrastructure from EventBridge events.");
return root.Parse(args).Invoke();
