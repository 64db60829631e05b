using EventPatterns.Benchmarks;

return BenchmarkCommand.Create().Parse(args).Invoke();
