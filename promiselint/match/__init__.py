"""Match: rule packs and lexicons compiled into patterns, the named conditions they read, the time grammar."""
