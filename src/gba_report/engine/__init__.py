"""The build engine: parameters, jobs, cache, worker, export, PDF, publishing, history, schedule."""
