"""The package version, in a leaf module so writers can stamp it without importing the package root."""

from __future__ import annotations

__version__ = "0.1.0"
