// Fault tests kill processes, fill disks and measure latency: run one test class at a time so that they neither
// share a CPU with each other (2 cores) nor blur each other's timings.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
