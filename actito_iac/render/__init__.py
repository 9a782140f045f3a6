"""Renderers: readers of a Plan. Printing happens here and in cli.py only."""
