"""The actorgraph HTTP API, its settings, and the command line."""
