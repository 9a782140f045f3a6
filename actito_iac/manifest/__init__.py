"""Manifests and the project file: files -> validated `Desired`, every problem with file:line."""
