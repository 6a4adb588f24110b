"""The page spec: models, loading with line numbers, style resolution."""
