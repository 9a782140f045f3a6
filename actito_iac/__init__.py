"""actito-iac: declarative configuration as code for ACTITO licences."""

__version__ = "0.1.0"
