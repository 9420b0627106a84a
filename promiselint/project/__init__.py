"""A run over a project: config, the file walk, cache, baseline, git, and the library API."""
