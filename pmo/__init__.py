"""pmo: the platform a Project Management Office runs on."""

__version__ = "0.1.0"
