"""Build, validate and report on the Syria claims data package."""

__version__ = "0.1.0"
