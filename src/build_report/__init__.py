"""Build, validate and report on the Syria claims data package."""
